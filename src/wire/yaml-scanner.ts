/**
 * The YAML scanner kubectl uses: the token rules of libyaml as go-yaml v2 (go.yaml.in/yaml/v2
 * v2.4.x, `scannerc.go`, the YAML 1.1 reader under sigs.k8s.io/yaml) implements them, including
 * where they differ from YAML 1.2 parsers: which characters may start or end a plain scalar,
 * where tabs are allowed, quoted scalars that ignore indentation, simple keys limited to one line
 * and 1024 characters, and the depth limits (10,000 flow levels, 10,000 indentation levels).
 *
 * Written from those rules (not translated): positions are UTF-16 offsets into one document's
 * text, lines and columns are 0-based here and made 1-based by the caller.
 */

export const TOKEN_STREAM_START = 1;
export const TOKEN_STREAM_END = 2;
export const TOKEN_VERSION_DIRECTIVE = 3;
export const TOKEN_TAG_DIRECTIVE = 4;
export const TOKEN_DOCUMENT_START = 5;
export const TOKEN_DOCUMENT_END = 6;
export const TOKEN_BLOCK_SEQUENCE_START = 7;
export const TOKEN_BLOCK_MAPPING_START = 8;
export const TOKEN_BLOCK_END = 9;
export const TOKEN_FLOW_SEQUENCE_START = 10;
export const TOKEN_FLOW_SEQUENCE_END = 11;
export const TOKEN_FLOW_MAPPING_START = 12;
export const TOKEN_FLOW_MAPPING_END = 13;
export const TOKEN_BLOCK_ENTRY = 14;
export const TOKEN_FLOW_ENTRY = 15;
export const TOKEN_KEY = 16;
export const TOKEN_VALUE = 17;
export const TOKEN_ALIAS = 18;
export const TOKEN_ANCHOR = 19;
export const TOKEN_TAG = 20;
export const TOKEN_SCALAR = 21;

export const STYLE_PLAIN = 1;
export const STYLE_SINGLE_QUOTED = 2;
export const STYLE_DOUBLE_QUOTED = 3;
export const STYLE_LITERAL = 4;
export const STYLE_FOLDED = 5;

/** go-yaml v2 `max_flow_level` and `max_indents`. */
export const MAX_YAML_DEPTH = 10000;

export class Token {
  constructor(
    public type: number,
    public pos: number,
    public line: number,
    public col: number,
    public endPos: number,
    public endLine: number,
    public endCol: number,
    /** Scalar value, anchor or alias name, tag handle, %TAG handle. */
    public value: string = '',
    /** Tag suffix, %TAG prefix. */
    public suffix: string = '',
    public style: number = 0,
    /** %YAML major and minor version. */
    public major: number = 0,
    public minor: number = 0,
  ) {}
}

/** A YAML syntax error with the libyaml problem text and where it was found. */
export class YamlSyntaxError extends Error {
  constructor(
    public readonly problem: string,
    public readonly pos: number,
    public readonly line: number,
    public readonly col: number,
    public readonly context?: string,
    public readonly contextLine?: number,
    public readonly contextCol?: number,
  ) {
    super(problem);
  }
}

class SimpleKey {
  constructor(
    public possible: boolean,
    public required: boolean,
    public tokenNumber: number,
    public pos: number,
    public line: number,
    public col: number,
  ) {}
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const NEL = 0x85;
const LS = 0x2028;
const PS = 0x2029;
const BOM = 0xfeff;

function isBreak(c: number): boolean {
  return c === LF || c === CR || c === NEL || c === LS || c === PS;
}
/** Blank, break or end of input (code 0). */
function isBlankZ(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR || c === 0 || c === NEL || c === LS || c === PS;
}
function isBreakZ(c: number): boolean {
  return c === LF || c === CR || c === 0 || c === NEL || c === LS || c === PS;
}
/** libyaml's "alpha": the characters of anchors, tag handles and directive names. */
function isAlpha(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10;
}
/** Characters allowed in a tag URI (libyaml `yaml_parser_scan_tag_uri`). */
function isUriChar(c: number): boolean {
  if (isAlpha(c)) return true;
  switch (c) {
    case 0x3b: case 0x2f: case 0x3f: case 0x3a: case 0x40: case 0x26: case 0x3d: case 0x2b: case 0x24:
    case 0x2c: case 0x2e: case 0x21: case 0x7e: case 0x2a: case 0x27: case 0x28: case 0x29: case 0x5b:
    case 0x5d: case 0x25:
      return true;
    default:
      return false;
  }
}
/** Number of UTF-8 bytes a leading octet announces (0 when invalid). */
function utf8Width(octet: number): number {
  if ((octet & 0x80) === 0) return 1;
  if ((octet & 0xe0) === 0xc0) return 2;
  if ((octet & 0xf0) === 0xe0) return 3;
  if ((octet & 0xf8) === 0xf0) return 4;
  return 0;
}

export class Scanner {
  /** Current position (UTF-16 offset), line and column (0-based). */
  pos: number;
  line = 0;
  col = 0;
  private readonly text: string;
  private readonly end: number;

  private flowLevel = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private simpleKeyAllowed = false;
  private readonly simpleKeys: SimpleKey[] = [];
  private readonly simpleKeysByToken = new Map<number, number>();

  private queue: Token[] = [];
  private head = 0;
  /** Tokens handed to the parser so far. */
  private tokensParsed = 0;
  private tokenAvailable = false;
  private streamStartProduced = false;
  private streamEndProduced = false;

  constructor(text: string, start = 0, end = text.length) {
    this.text = text;
    this.pos = start;
    this.end = end;
  }

  /** The next token, without consuming it. */
  peek(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.queue[this.head];
  }

  /** Consumes the token returned by peek(). */
  skip(): void {
    this.tokenAvailable = false;
    this.tokensParsed++;
    if (this.queue[this.head].type === TOKEN_STREAM_END) this.streamEndProduced = true;
    this.head++;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
  }

  get atStreamEnd(): boolean {
    return this.streamEndProduced;
  }

  private at(i: number): number {
    return i < this.end ? this.text.charCodeAt(i) : 0;
  }

  private error(context: string, _cPos: number, cLine: number, cCol: number, problem: string): YamlSyntaxError {
    return new YamlSyntaxError(problem, this.pos, this.line, this.col, context || undefined, cLine, cCol);
  }

  // ---- character movement (libyaml `skip`, `skip_line`, `read`, `read_line`) ----

  private advance(): void {
    const c = this.text.charCodeAt(this.pos);
    // a surrogate pair is one character, as in libyaml's UTF-8 buffer
    this.pos += c >= 0xd800 && c <= 0xdbff && this.pos + 1 < this.end ? 2 : 1;
    this.col++;
  }

  private skipLine(): void {
    const c = this.at(this.pos);
    if (c === CR && this.at(this.pos + 1) === LF) {
      this.pos += 2;
      this.col = 0;
      this.line++;
    } else if (isBreak(c)) {
      this.pos++;
      this.col = 0;
      this.line++;
    }
  }

  /** Consumes a line break and returns what it contributes to a scalar: LF, or LS / PS kept as is. */
  private readLine(): string {
    const c = this.at(this.pos);
    this.skipLine();
    return c === LS || c === PS ? String.fromCharCode(c) : '\n';
  }

  // ---- token queue ----

  private insertToken(at: number, token: Token): void {
    // go-yaml `yaml_insert_token`: a negative position appends
    if (at < 0) this.queue.push(token);
    else this.queue.splice(this.head + at, 0, token);
  }

  private queued(): number {
    return this.queue.length - this.head;
  }

  private fetchMoreTokens(): void {
    for (;;) {
      if (this.head !== this.queue.length) {
        // Only a possible simple key at the head token forces more look-ahead.
        const idx = this.simpleKeysByToken.get(this.tokensParsed);
        if (idx === undefined) break;
        if (!this.simpleKeyIsValid(this.simpleKeys[idx])) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    // A simple key is restricted to one line and 1024 characters (YAML 1.2 §7.4, applied by libyaml).
    if (key.line < this.line || (this.pos - key.pos > 1024 && this.codePoints(key.pos, this.pos) > 1024)) {
      if (key.required) {
        throw new YamlSyntaxError('could not find expected \':\'', this.pos, this.line, this.col, 'while scanning a simple key', key.line, key.col);
      }
      key.possible = false;
      return false;
    }
    return true;
  }

  private codePoints(from: number, to: number): number {
    let n = 0;
    for (let i = from; i < to; i++) {
      const c = this.text.charCodeAt(i);
      if (!(c >= 0xdc00 && c <= 0xdfff)) n++;
    }
    return n;
  }

  private saveSimpleKey(): void {
    // A simple key is required where the block context's indentation equals the current column.
    const required = this.flowLevel === 0 && this.indent === this.col;
    if (this.simpleKeyAllowed) {
      const tokenNumber = this.tokensParsed + this.queued();
      this.removeSimpleKey();
      const k = this.simpleKeys[this.simpleKeys.length - 1];
      k.possible = true;
      k.required = required;
      k.tokenNumber = tokenNumber;
      k.pos = this.pos;
      k.line = this.line;
      k.col = this.col;
      this.simpleKeysByToken.set(tokenNumber, this.simpleKeys.length - 1);
    }
  }

  private removeSimpleKey(): void {
    const k = this.simpleKeys[this.simpleKeys.length - 1];
    if (k.possible) {
      if (k.required) {
        throw new YamlSyntaxError('could not find expected \':\'', this.pos, this.line, this.col, 'while scanning a simple key', k.line, k.col);
      }
      k.possible = false;
      this.simpleKeysByToken.delete(k.tokenNumber);
    }
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push(new SimpleKey(false, false, this.tokensParsed + this.queued(), this.pos, this.line, this.col));
    this.flowLevel++;
    if (this.flowLevel > MAX_YAML_DEPTH) {
      throw this.error('while increasing flow level', this.pos, this.line, this.col, `exceeded max depth of ${MAX_YAML_DEPTH}`);
    }
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      const k = this.simpleKeys.pop()!;
      // as go-yaml does: the entry is removed by token number, whichever key set it
      this.simpleKeysByToken.delete(k.tokenNumber);
    }
  }

  private rollIndent(column: number, number: number, type: number, pos: number, line: number, col: number): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > MAX_YAML_DEPTH) {
        const k = this.simpleKeys[this.simpleKeys.length - 1];
        throw this.error('while increasing indent level', k.pos, k.line, k.col, `exceeded max depth of ${MAX_YAML_DEPTH}`);
      }
      const token = new Token(type, pos, line, col, pos, line, col);
      this.insertToken(number > -1 ? number - this.tokensParsed : -1, token);
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      this.insertToken(-1, new Token(TOKEN_BLOCK_END, this.pos, this.line, this.col, this.pos, this.line, this.col));
      this.indent = this.indents.pop()!;
    }
  }

  private simpleToken(type: number): Token {
    const pos = this.pos;
    const line = this.line;
    const col = this.col;
    this.advance();
    return new Token(type, pos, line, col, this.pos, this.line, this.col);
  }

  // ---- the dispatcher (libyaml `yaml_parser_fetch_next_token`) ----

  private fetchNextToken(): void {
    if (!this.streamStartProduced) {
      this.indent = -1;
      this.simpleKeys.push(new SimpleKey(false, false, 0, this.pos, this.line, this.col));
      this.simpleKeyAllowed = true;
      this.streamStartProduced = true;
      this.insertToken(-1, new Token(TOKEN_STREAM_START, this.pos, this.line, this.col, this.pos, this.line, this.col));
      return;
    }
    this.scanToNextToken();
    this.unrollIndent(this.col);

    const c = this.at(this.pos);
    if (c === 0) return this.fetchStreamEnd();
    if (this.col === 0) {
      if (c === 0x25 /* % */) return this.fetchDirective();
      if (c === 0x2d /* - */ && this.at(this.pos + 1) === 0x2d && this.at(this.pos + 2) === 0x2d && isBlankZ(this.at(this.pos + 3))) {
        return this.fetchDocumentIndicator(TOKEN_DOCUMENT_START);
      }
      if (c === 0x2e /* . */ && this.at(this.pos + 1) === 0x2e && this.at(this.pos + 2) === 0x2e && isBlankZ(this.at(this.pos + 3))) {
        return this.fetchDocumentIndicator(TOKEN_DOCUMENT_END);
      }
    }
    const next = this.at(this.pos + 1);
    switch (c) {
      case 0x5b: return this.fetchFlowCollectionStart(TOKEN_FLOW_SEQUENCE_START);
      case 0x7b: return this.fetchFlowCollectionStart(TOKEN_FLOW_MAPPING_START);
      case 0x5d: return this.fetchFlowCollectionEnd(TOKEN_FLOW_SEQUENCE_END);
      case 0x7d: return this.fetchFlowCollectionEnd(TOKEN_FLOW_MAPPING_END);
      case 0x2c: return this.fetchFlowEntry();
      case 0x2d: if (isBlankZ(next)) return this.fetchBlockEntry(); break;
      case 0x3f: if (this.flowLevel > 0 || isBlankZ(next)) return this.fetchKey(); break;
      case 0x3a: if (this.flowLevel > 0 || isBlankZ(next)) return this.fetchValue(); break;
      case 0x2a: return this.fetchAnchor(TOKEN_ALIAS);
      case 0x26: return this.fetchAnchor(TOKEN_ANCHOR);
      case 0x21: return this.fetchTag();
      case 0x7c: if (this.flowLevel === 0) return this.fetchBlockScalar(true); break;
      case 0x3e: if (this.flowLevel === 0) return this.fetchBlockScalar(false); break;
      case 0x27: return this.fetchFlowScalar(true);
      case 0x22: return this.fetchFlowScalar(false);
    }
    // A plain scalar starts with any non-blank character but the indicators; '-' (and, in the
    // block context, '?' and ':') may start one when a non-blank character follows.
    let plain: boolean;
    switch (c) {
      case 0x2d: plain = !(next === SPACE || next === TAB); break;
      case 0x3f: case 0x3a: plain = this.flowLevel === 0 && !isBlankZ(next); break;
      case 0x2c: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x23: case 0x26: case 0x2a: case 0x21:
      case 0x7c: case 0x3e: case 0x27: case 0x22: case 0x25: case 0x40: case 0x60:
        plain = false;
        break;
      default:
        plain = !isBlankZ(c);
    }
    if (plain) return this.fetchPlainScalar();
    throw this.error('while scanning for the next token', this.pos, this.line, this.col, 'found character that cannot start any token');
  }

  private scanToNextToken(): void {
    for (;;) {
      // A byte order mark may start a line.
      if (this.col === 0 && this.at(this.pos) === BOM) this.advance();
      // Tabs separate tokens in the flow context, and in the block context where no simple key
      // may start (never in indentation, nor right after '-', '?' or a complex ':').
      for (;;) {
        const c = this.at(this.pos);
        if (c === SPACE || (c === TAB && (this.flowLevel > 0 || !this.simpleKeyAllowed))) this.advance();
        else break;
      }
      if (this.at(this.pos) === 0x23 /* # */) {
        while (!isBreakZ(this.at(this.pos))) this.advance();
      }
      if (isBreak(this.at(this.pos))) {
        this.skipLine();
        if (this.flowLevel === 0) this.simpleKeyAllowed = true;
      } else {
        break;
      }
    }
  }

  private fetchStreamEnd(): void {
    if (this.col !== 0) {
      this.col = 0;
      this.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, new Token(TOKEN_STREAM_END, this.pos, this.line, this.col, this.pos, this.line, this.col));
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  private fetchDocumentIndicator(type: number): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const pos = this.pos;
    const line = this.line;
    const col = this.col;
    this.advance();
    this.advance();
    this.advance();
    this.insertToken(-1, new Token(type, pos, line, col, this.pos, this.line, this.col));
  }

  private fetchFlowCollectionStart(type: number): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.simpleToken(type));
  }

  private fetchFlowCollectionEnd(type: number): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.simpleToken(type));
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.simpleToken(TOKEN_FLOW_ENTRY));
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) {
        throw this.error('', this.pos, this.line, this.col, 'block sequence entries are not allowed in this context');
      }
      this.rollIndent(this.col, -1, TOKEN_BLOCK_SEQUENCE_START, this.pos, this.line, this.col);
    }
    // ('-' in the flow context is reported by the parser, which knows the context)
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.simpleToken(TOKEN_BLOCK_ENTRY));
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) {
        throw this.error('', this.pos, this.line, this.col, 'mapping keys are not allowed in this context');
      }
      this.rollIndent(this.col, -1, TOKEN_BLOCK_MAPPING_START, this.pos, this.line, this.col);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    this.insertToken(-1, this.simpleToken(TOKEN_KEY));
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (this.simpleKeyIsValid(key)) {
      // The saved simple key becomes a KEY token, inserted where the key started.
      this.insertToken(key.tokenNumber - this.tokensParsed, new Token(TOKEN_KEY, key.pos, key.line, key.col, key.pos, key.line, key.col));
      this.rollIndent(key.col, key.tokenNumber, TOKEN_BLOCK_MAPPING_START, key.pos, key.line, key.col);
      key.possible = false;
      this.simpleKeysByToken.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      // ':' after a complex key ('?')
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) {
          throw this.error('', this.pos, this.line, this.col, 'mapping values are not allowed in this context');
        }
        this.rollIndent(this.col, -1, TOKEN_BLOCK_MAPPING_START, this.pos, this.line, this.col);
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    this.insertToken(-1, this.simpleToken(TOKEN_VALUE));
  }

  private fetchAnchor(type: number): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanAnchor(type));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanTag());
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar(literal));
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanFlowScalar(single));
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanPlainScalar());
  }

  // ---- directives ----

  private skipBlanks(): void {
    for (let c = this.at(this.pos); c === SPACE || c === TAB; c = this.at(this.pos)) this.advance();
  }

  private scanDirective(): Token {
    const pos = this.pos;
    const line = this.line;
    const col = this.col;
    this.advance();
    const nameStart = this.pos;
    while (isAlpha(this.at(this.pos))) this.advance();
    const name = this.text.slice(nameStart, this.pos);
    if (!name) throw this.error('while scanning a directive', pos, line, col, 'could not find expected directive name');
    if (!isBlankZ(this.at(this.pos))) throw this.error('while scanning a directive', pos, line, col, 'found unexpected non-alphabetical character');
    let token: Token;
    if (name === 'YAML') {
      this.skipBlanks();
      const major = this.scanVersionNumber(pos, line, col);
      if (this.at(this.pos) !== 0x2e) throw this.error('while scanning a %YAML directive', pos, line, col, 'did not find expected digit or \'.\' character');
      this.advance();
      const minor = this.scanVersionNumber(pos, line, col);
      token = new Token(TOKEN_VERSION_DIRECTIVE, pos, line, col, this.pos, this.line, this.col, '', '', 0, major, minor);
    } else if (name === 'TAG') {
      this.skipBlanks();
      const handle = this.scanTagHandle(true, pos, line, col);
      if (!(this.at(this.pos) === SPACE || this.at(this.pos) === TAB)) {
        throw this.error('while scanning a %TAG directive', pos, line, col, 'did not find expected whitespace');
      }
      this.skipBlanks();
      const prefix = this.scanTagUri(true, '', pos, line, col);
      if (!isBlankZ(this.at(this.pos))) throw this.error('while scanning a %TAG directive', pos, line, col, 'did not find expected whitespace or line break');
      token = new Token(TOKEN_TAG_DIRECTIVE, pos, line, col, this.pos, this.line, this.col, handle, prefix);
    } else {
      throw this.error('while scanning a directive', pos, line, col, 'found unknown directive name');
    }
    this.skipBlanks();
    if (this.at(this.pos) === 0x23) while (!isBreakZ(this.at(this.pos))) this.advance();
    if (!isBreakZ(this.at(this.pos))) throw this.error('while scanning a directive', pos, line, col, 'did not find expected comment or line break');
    if (isBreak(this.at(this.pos))) this.skipLine();
    return token;
  }

  private scanVersionNumber(pos: number, line: number, col: number): number {
    let value = 0;
    let length = 0;
    while (isDigit(this.at(this.pos))) {
      if (++length > 2) throw this.error('while scanning a %YAML directive', pos, line, col, 'found extremely long version number');
      value = value * 10 + this.at(this.pos) - 0x30;
      this.advance();
    }
    if (length === 0) throw this.error('while scanning a %YAML directive', pos, line, col, 'did not find expected version number');
    return value;
  }

  // ---- anchors, aliases, tags ----

  private scanAnchor(type: number): Token {
    const pos = this.pos;
    const line = this.line;
    const col = this.col;
    this.advance();
    const nameStart = this.pos;
    while (isAlpha(this.at(this.pos))) this.advance();
    const name = this.text.slice(nameStart, this.pos);
    const c = this.at(this.pos);
    // the name must end at a blank or one of '?', ':', ',', ']', '}', '%', '@', '`'
    if (!name || !(isBlankZ(c) || c === 0x3f || c === 0x3a || c === 0x2c || c === 0x5d || c === 0x7d || c === 0x25 || c === 0x40 || c === 0x60)) {
      throw this.error(type === TOKEN_ANCHOR ? 'while scanning an anchor' : 'while scanning an alias', pos, line, col,
        'did not find expected alphabetic or numeric character');
    }
    return new Token(type, pos, line, col, this.pos, this.line, this.col, name);
  }

  private scanTag(): Token {
    const pos = this.pos;
    const line = this.line;
    const col = this.col;
    let handle: string;
    let suffix: string;
    if (this.at(this.pos + 1) === 0x3c /* < */) {
      // verbatim tag !<...>: the handle stays empty
      this.advance();
      this.advance();
      handle = '';
      suffix = this.scanTagUri(false, '', pos, line, col);
      if (this.at(this.pos) !== 0x3e) throw this.error('while scanning a tag', pos, line, col, 'did not find the expected \'>\'');
      this.advance();
    } else {
      const first = this.scanTagHandle(false, pos, line, col);
      if (first.length > 1 && first.charCodeAt(0) === 0x21 && first.charCodeAt(first.length - 1) === 0x21) {
        handle = first;
        suffix = this.scanTagUri(false, '', pos, line, col);
      } else {
        // not a handle after all: '!' followed by the suffix (or the lone '!' tag)
        suffix = this.scanTagUri(false, first, pos, line, col);
        handle = '!';
        if (suffix === '') {
          handle = '';
          suffix = '!';
        }
      }
    }
    if (!isBlankZ(this.at(this.pos))) throw this.error('while scanning a tag', pos, line, col, 'did not find expected whitespace or line break');
    return new Token(TOKEN_TAG, pos, line, col, this.pos, this.line, this.col, handle, suffix);
  }

  private scanTagHandle(directive: boolean, pos: number, line: number, col: number): string {
    const context = directive ? 'while parsing a %TAG directive' : 'while parsing a tag';
    if (this.at(this.pos) !== 0x21) throw this.error(context, pos, line, col, 'did not find expected \'!\'');
    const start = this.pos;
    this.advance();
    while (isAlpha(this.at(this.pos))) this.advance();
    if (this.at(this.pos) === 0x21) {
      this.advance();
    } else if (directive && this.pos - start !== 1) {
      throw this.error(context, pos, line, col, 'did not find expected \'!\'');
    }
    return this.text.slice(start, this.pos);
  }

  /** A tag URI; `head` is a tag handle scanned before it that turned out to be part of the URI. */
  private scanTagUri(directive: boolean, head: string, pos: number, line: number, col: number): string {
    const context = directive ? 'while parsing a %TAG directive' : 'while parsing a tag';
    // the head's leading '!' is not part of the URI
    let s = head.length > 1 ? head.slice(1) : '';
    let hasTag = head.length > 0;
    let runStart = this.pos;
    for (let c = this.at(this.pos); isUriChar(c); c = this.at(this.pos)) {
      if (c === 0x25) {
        s += this.text.slice(runStart, this.pos) + this.scanUriEscapes(context, pos, line, col);
        runStart = this.pos;
      } else {
        this.advance();
      }
      hasTag = true;
    }
    s += this.text.slice(runStart, this.pos);
    if (!hasTag) throw this.error(context, pos, line, col, 'did not find expected tag URI');
    return s;
  }

  /** %XX escapes of one UTF-8 character. */
  private scanUriEscapes(context: string, pos: number, line: number, col: number): string {
    const bytes: number[] = [];
    let width = 1024;
    while (width > 0) {
      if (!(this.at(this.pos) === 0x25 && isHex(this.at(this.pos + 1)) && isHex(this.at(this.pos + 2)))) {
        throw this.error(context, pos, line, col, 'did not find URI escaped octet');
      }
      const octet = (hexValue(this.at(this.pos + 1)) << 4) + hexValue(this.at(this.pos + 2));
      if (width === 1024) {
        width = utf8Width(octet);
        if (width === 0) throw this.error(context, pos, line, col, 'found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xc0) !== 0x80) {
        throw this.error(context, pos, line, col, 'found an incorrect trailing UTF-8 octet');
      }
      bytes.push(octet);
      this.advance();
      this.advance();
      this.advance();
      width--;
    }
    return Buffer.from(bytes).toString('utf8');
  }

  // ---- block scalars ----

  private scanBlockScalar(literal: boolean): Token {
    const pos = this.pos;
    const line = this.line;
    const col = this.col;
    this.advance();
    let chomping = 0;
    let increment = 0;
    let c = this.at(this.pos);
    if (c === 0x2b || c === 0x2d) {
      chomping = c === 0x2b ? 1 : -1;
      this.advance();
      c = this.at(this.pos);
      if (isDigit(c)) {
        if (c === 0x30) throw this.error('while scanning a block scalar', pos, line, col, 'found an indentation indicator equal to 0');
        increment = c - 0x30;
        this.advance();
      }
    } else if (isDigit(c)) {
      if (c === 0x30) throw this.error('while scanning a block scalar', pos, line, col, 'found an indentation indicator equal to 0');
      increment = c - 0x30;
      this.advance();
      c = this.at(this.pos);
      if (c === 0x2b || c === 0x2d) {
        chomping = c === 0x2b ? 1 : -1;
        this.advance();
      }
    }
    this.skipBlanks();
    if (this.at(this.pos) === 0x23) while (!isBreakZ(this.at(this.pos))) this.advance();
    if (!isBreakZ(this.at(this.pos))) throw this.error('while scanning a block scalar', pos, line, col, 'did not find expected comment or line break');
    if (isBreak(this.at(this.pos))) this.skipLine();

    const mark = { endPos: this.pos, endLine: this.line, endCol: this.col };
    let indent = 0;
    if (increment > 0) indent = this.indent >= 0 ? this.indent + increment : increment;

    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let r = this.scanBlockScalarBreaks(indent, pos, line, col, mark);
    indent = r.indent;
    trailingBreaks = r.breaks;
    let leadingBlank = false;
    while (this.col === indent && this.at(this.pos) !== 0) {
      // at the start of a non-empty line
      const trailingBlank = this.at(this.pos) === SPACE || this.at(this.pos) === TAB;
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak.length > 0 && leadingBreak.charCodeAt(0) === LF) {
        // folded: a single line break between two text lines becomes a space
        if (trailingBreaks.length === 0) s += ' ';
      } else {
        s += leadingBreak;
      }
      s += trailingBreaks;
      leadingBreak = '';
      trailingBreaks = '';
      leadingBlank = this.at(this.pos) === SPACE || this.at(this.pos) === TAB;
      const start = this.pos;
      while (!isBreakZ(this.at(this.pos))) this.advance();
      s += this.text.slice(start, this.pos);
      leadingBreak = isBreak(this.at(this.pos)) ? this.readLine() : '';
      r = this.scanBlockScalarBreaks(indent, pos, line, col, mark);
      indent = r.indent;
      trailingBreaks = r.breaks;
    }
    if (chomping !== -1) s += leadingBreak;
    if (chomping === 1) s += trailingBreaks;
    return new Token(TOKEN_SCALAR, pos, line, col, mark.endPos, mark.endLine, mark.endCol, s, '', literal ? STYLE_LITERAL : STYLE_FOLDED);
  }

  /** Indentation spaces and empty lines of a block scalar; finds the indentation when not given. */
  private scanBlockScalarBreaks(indent: number, pos: number, line: number, col: number,
    mark: { endPos: number; endLine: number; endCol: number }): { indent: number; breaks: string } {
    mark.endPos = this.pos;
    mark.endLine = this.line;
    mark.endCol = this.col;
    let maxIndent = 0;
    let breaks = '';
    for (;;) {
      while ((indent === 0 || this.col < indent) && this.at(this.pos) === SPACE) this.advance();
      if (this.col > maxIndent) maxIndent = this.col;
      if ((indent === 0 || this.col < indent) && this.at(this.pos) === TAB) {
        throw this.error('while scanning a block scalar', pos, line, col, 'found a tab character where an indentation space is expected');
      }
      if (!isBreak(this.at(this.pos))) break;
      breaks += this.readLine();
      mark.endPos = this.pos;
      mark.endLine = this.line;
      mark.endCol = this.col;
    }
    if (indent === 0) {
      indent = maxIndent;
      if (indent < this.indent + 1) indent = this.indent + 1;
      if (indent < 1) indent = 1;
    }
    return { indent, breaks };
  }

  // ---- quoted scalars ----

  private scanFlowScalar(single: boolean): Token {
    const pos = this.pos;
    const line = this.line;
    const col = this.col;
    this.advance();
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    for (;;) {
      // A document marker at the start of a line ends the document, even inside quotes.
      if (this.col === 0) {
        const c0 = this.at(this.pos);
        if ((c0 === 0x2d || c0 === 0x2e) && this.at(this.pos + 1) === c0 && this.at(this.pos + 2) === c0 && isBlankZ(this.at(this.pos + 3))) {
          throw this.error('while scanning a quoted scalar', pos, line, col, 'found unexpected document indicator');
        }
      }
      if (this.at(this.pos) === 0) throw this.error('while scanning a quoted scalar', pos, line, col, 'found unexpected end of stream');

      let leadingBlanks = false;
      let runStart = this.pos;
      for (;;) {
        const c = this.at(this.pos);
        if (isBlankZ(c)) break;
        if (single && c === 0x27) {
          if (this.at(this.pos + 1) === 0x27) {
            s += this.text.slice(runStart, this.pos) + '\'';
            this.advance();
            this.advance();
            runStart = this.pos;
            continue;
          }
          break;
        }
        if (!single && c === 0x22) break;
        if (!single && c === 0x5c /* \ */) {
          s += this.text.slice(runStart, this.pos);
          const e = this.at(this.pos + 1);
          if (isBreak(e)) {
            // escaped line break: the break and the next line's leading blanks are dropped
            this.advance();
            this.skipLine();
            leadingBlanks = true;
            runStart = this.pos;
            break;
          }
          s += this.scanEscape(e, pos, line, col);
          runStart = this.pos;
          continue;
        }
        this.advance();
      }
      s += this.text.slice(runStart, this.pos);

      const q = this.at(this.pos);
      if (single ? q === 0x27 : q === 0x22) break;

      // blanks and line breaks inside the scalar
      for (;;) {
        const c = this.at(this.pos);
        if (c === SPACE || c === TAB) {
          if (!leadingBlanks) whitespaces += String.fromCharCode(c);
          this.advance();
        } else if (isBreak(c)) {
          if (!leadingBlanks) {
            whitespaces = '';
            leadingBreak = this.readLine();
            leadingBlanks = true;
          } else {
            trailingBreaks += this.readLine();
          }
        } else {
          break;
        }
      }
      if (leadingBlanks) {
        if (leadingBreak.length > 0 && leadingBreak.charCodeAt(0) === LF) {
          s += trailingBreaks.length === 0 ? ' ' : trailingBreaks;
        } else {
          s += leadingBreak + trailingBreaks;
        }
        leadingBreak = '';
        trailingBreaks = '';
      } else {
        s += whitespaces;
        whitespaces = '';
      }
    }
    this.advance();
    return new Token(TOKEN_SCALAR, pos, line, col, this.pos, this.line, this.col, s, '', single ? STYLE_SINGLE_QUOTED : STYLE_DOUBLE_QUOTED);
  }

  /** One escape sequence of a double-quoted scalar (the backslash at the current position). */
  private scanEscape(e: number, pos: number, line: number, col: number): string {
    let out: string | undefined;
    let codeLength = 0;
    switch (e) {
      case 0x30: out = '\0'; break;
      case 0x61: out = '\x07'; break;
      case 0x62: out = '\b'; break;
      case 0x74: case TAB: out = '\t'; break;
      case 0x6e: out = '\n'; break;
      case 0x76: out = '\v'; break;
      case 0x66: out = '\f'; break;
      case 0x72: out = '\r'; break;
      case 0x65: out = '\x1b'; break;
      case SPACE: out = ' '; break;
      case 0x22: out = '"'; break;
      case 0x27: out = '\''; break;
      case 0x5c: out = '\\'; break;
      case 0x4e: out = '\u0085'; break;
      case 0x5f: out = '\u00a0'; break;
      case 0x4c: out = '\u2028'; break;
      case 0x50: out = '\u2029'; break;
      case 0x78: codeLength = 2; break;
      case 0x75: codeLength = 4; break;
      case 0x55: codeLength = 8; break;
      default:
        // YAML 1.1 has no '\/' escape (JSON has): go-yaml v2 rejects it
        throw this.error('while parsing a quoted scalar', pos, line, col, 'found unknown escape character');
    }
    this.advance();
    this.advance();
    if (out !== undefined) return out;
    let value = 0;
    for (let k = 0; k < codeLength; k++) {
      const h = this.at(this.pos + k);
      if (!isHex(h)) throw this.error('while parsing a quoted scalar', pos, line, col, 'did not find expected hexdecimal number');
      value = value * 16 + hexValue(h);
    }
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
      throw this.error('while parsing a quoted scalar', pos, line, col, 'found invalid Unicode character escape code');
    }
    for (let k = 0; k < codeLength; k++) this.advance();
    return String.fromCodePoint(value);
  }

  // ---- plain scalars ----

  private scanPlainScalar(): Token {
    const pos = this.pos;
    const line = this.line;
    const col = this.col;
    let endPos = pos;
    let endLine = line;
    let endCol = col;
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    let leadingBlanks = false;
    const indent = this.indent + 1;
    for (;;) {
      const c0 = this.at(this.pos);
      if (this.col === 0 && (c0 === 0x2d || c0 === 0x2e) && this.at(this.pos + 1) === c0 && this.at(this.pos + 2) === c0
        && isBlankZ(this.at(this.pos + 3))) break;
      if (c0 === 0x23 /* # */) break;

      let runStart = -1;
      for (;;) {
        const c = this.at(this.pos);
        if (isBlankZ(c)) break;
        // ': ' ends a plain scalar; in the flow context so do ',', '?', '[', ']', '{', '}'
        if (c === 0x3a && isBlankZ(this.at(this.pos + 1))) break;
        if (this.flowLevel > 0 && (c === 0x2c || c === 0x3f || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d)) break;
        if (runStart < 0) {
          if (leadingBlanks) {
            if (leadingBreak.charCodeAt(0) === LF) s += trailingBreaks.length === 0 ? ' ' : trailingBreaks;
            else s += leadingBreak + trailingBreaks;
            leadingBreak = '';
            trailingBreaks = '';
            leadingBlanks = false;
          } else if (whitespaces) {
            s += whitespaces;
            whitespaces = '';
          }
          runStart = this.pos;
        }
        this.advance();
        endPos = this.pos;
        endLine = this.line;
        endCol = this.col;
      }
      if (runStart >= 0) s += this.text.slice(runStart, this.pos);

      const c1 = this.at(this.pos);
      if (!(c1 === SPACE || c1 === TAB || isBreak(c1))) break;

      for (;;) {
        const c = this.at(this.pos);
        if (c === SPACE || c === TAB) {
          if (leadingBlanks && this.col < indent && c === TAB) {
            throw this.error('while scanning a plain scalar', pos, line, col, 'found a tab character that violates indentation');
          }
          if (!leadingBlanks) whitespaces += String.fromCharCode(c);
          this.advance();
        } else if (isBreak(c)) {
          if (!leadingBlanks) {
            whitespaces = '';
            leadingBreak = this.readLine();
            leadingBlanks = true;
          } else {
            trailingBreaks += this.readLine();
          }
        } else {
          break;
        }
      }
      // in the block context a line indented no more than the parent ends the scalar
      if (this.flowLevel === 0 && this.col < indent) break;
    }
    // after a multi-line plain scalar, the new line may start a simple key
    if (leadingBlanks) this.simpleKeyAllowed = true;
    return new Token(TOKEN_SCALAR, pos, line, col, endPos, endLine, endCol, s, '', STYLE_PLAIN);
  }
}
