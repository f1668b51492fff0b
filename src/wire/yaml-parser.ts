/**
 * The YAML event parser kubectl uses: libyaml's parser state machine as go-yaml v2 (`parserc.go`)
 * implements it, reading only the first document of its input as `yaml.Unmarshal` does
 * (`decode.go` parser.parse). Events go straight to a sink; nothing is allocated per event.
 * Iterative (an explicit state stack), so 10,000 nesting levels cannot overflow the JS stack.
 */
import {
  Scanner, Token, YamlSyntaxError, STYLE_PLAIN,
  TOKEN_ALIAS, TOKEN_ANCHOR, TOKEN_BLOCK_END, TOKEN_BLOCK_ENTRY, TOKEN_BLOCK_MAPPING_START, TOKEN_BLOCK_SEQUENCE_START,
  TOKEN_DOCUMENT_END, TOKEN_DOCUMENT_START, TOKEN_FLOW_ENTRY, TOKEN_FLOW_MAPPING_END, TOKEN_FLOW_MAPPING_START,
  TOKEN_FLOW_SEQUENCE_END, TOKEN_FLOW_SEQUENCE_START, TOKEN_KEY, TOKEN_SCALAR, TOKEN_STREAM_END, TOKEN_STREAM_START,
  TOKEN_TAG, TOKEN_TAG_DIRECTIVE, TOKEN_VALUE, TOKEN_VERSION_DIRECTIVE,
} from './yaml-scanner';

/** Receives the events of one document. Positions are the node's start (0-based line/column). */
export interface YamlEventSink {
  scalar(value: string, tag: string, plainImplicit: boolean, anchor: string, pos: number, line: number, col: number): void;
  alias(name: string, pos: number, line: number, col: number): void;
  sequenceStart(tag: string, anchor: string, pos: number, line: number, col: number): void;
  sequenceEnd(): void;
  mappingStart(tag: string, anchor: string, pos: number, line: number, col: number): void;
  mappingEnd(): void;
}

const S_DOCUMENT_CONTENT = 1;
const S_DOCUMENT_END = 2;
const S_BLOCK_NODE = 3;
const S_BLOCK_NODE_OR_INDENTLESS_SEQUENCE = 4;
const S_FLOW_NODE = 5;
const S_BLOCK_SEQUENCE_FIRST_ENTRY = 6;
const S_BLOCK_SEQUENCE_ENTRY = 7;
const S_INDENTLESS_SEQUENCE_ENTRY = 8;
const S_BLOCK_MAPPING_FIRST_KEY = 9;
const S_BLOCK_MAPPING_KEY = 10;
const S_BLOCK_MAPPING_VALUE = 11;
const S_FLOW_SEQUENCE_FIRST_ENTRY = 12;
const S_FLOW_SEQUENCE_ENTRY = 13;
const S_FLOW_SEQUENCE_ENTRY_MAPPING_KEY = 14;
const S_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE = 15;
const S_FLOW_SEQUENCE_ENTRY_MAPPING_END = 16;
const S_FLOW_MAPPING_FIRST_KEY = 17;
const S_FLOW_MAPPING_KEY = 18;
const S_FLOW_MAPPING_VALUE = 19;
const S_FLOW_MAPPING_EMPTY_VALUE = 20;
const S_DONE = 21;

interface TagDirective { handle: string; prefix: string }

/** What parsing the first document found. */
export interface FirstDocument {
  /** False when the input holds no document at all (only comments and blanks). */
  readonly found: boolean;
  /** Whether the document ended with an explicit `...` marker. */
  readonly explicitEnd: boolean;
  /** Offset just after the document's end (the `...` marker or the next token). */
  readonly endPos: number;
}

function parserError(problem: string, t: Token, context?: string, cLine?: number, cCol?: number): YamlSyntaxError {
  return new YamlSyntaxError(problem, t.pos, t.line, t.col, context, cLine, cCol);
}

/**
 * Parses the first document of the scanner's input and sends its events to the sink. Throws
 * YamlSyntaxError on the first syntax error (as libyaml stops there).
 */
export function parseFirstDocument(scanner: Scanner, sink: YamlEventSink): FirstDocument {
  const states: number[] = [];
  const marks: number[] = []; // line, col pairs of open collections, for error contexts
  let tagDirectives: TagDirective[] = [];

  let t = scanner.peek();
  if (t.type !== TOKEN_STREAM_START) throw parserError('did not find expected <stream-start>', t);
  scanner.skip();

  // implicit document start (the first document of a stream)
  t = scanner.peek();
  let state: number;
  if (t.type !== TOKEN_VERSION_DIRECTIVE && t.type !== TOKEN_TAG_DIRECTIVE && t.type !== TOKEN_DOCUMENT_START && t.type !== TOKEN_STREAM_END) {
    tagDirectives = processDirectives(scanner);
    states.push(S_DOCUMENT_END);
    state = S_BLOCK_NODE;
  } else if (t.type !== TOKEN_STREAM_END) {
    tagDirectives = processDirectives(scanner);
    t = scanner.peek();
    if (t.type !== TOKEN_DOCUMENT_START) throw parserError('did not find expected <document start>', t);
    states.push(S_DOCUMENT_END);
    state = S_DOCUMENT_CONTENT;
    scanner.skip();
  } else {
    return { found: false, explicitEnd: false, endPos: t.pos };
  }

  let explicitEnd = false;
  let endPos = 0;

  const pop = () => {
    state = states.pop()!;
  };
  const emptyScalar = (m: Token, useEnd: boolean) => {
    if (useEnd) sink.scalar('', '', true, '', m.endPos, m.endLine, m.endCol);
    else sink.scalar('', '', true, '', m.pos, m.line, m.col);
  };

  /** libyaml `yaml_parser_parse_node`. */
  const parseNode = (block: boolean, indentlessSequence: boolean) => {
    let tok = scanner.peek();
    if (tok.type === TOKEN_ALIAS) {
      pop();
      sink.alias(tok.value, tok.pos, tok.line, tok.col);
      scanner.skip();
      return;
    }
    let startPos = tok.pos;
    let startLine = tok.line;
    let startCol = tok.col;
    let anchor = '';
    let tagHandle: string | undefined;
    let tagSuffix = '';
    let tagTok: Token | undefined;
    if (tok.type === TOKEN_ANCHOR) {
      anchor = tok.value;
      scanner.skip();
      tok = scanner.peek();
      if (tok.type === TOKEN_TAG) {
        tagHandle = tok.value;
        tagSuffix = tok.suffix;
        tagTok = tok;
        scanner.skip();
        tok = scanner.peek();
      }
    } else if (tok.type === TOKEN_TAG) {
      tagHandle = tok.value;
      tagSuffix = tok.suffix;
      tagTok = tok;
      scanner.skip();
      tok = scanner.peek();
      if (tok.type === TOKEN_ANCHOR) {
        anchor = tok.value;
        scanner.skip();
        tok = scanner.peek();
      }
    }
    let tag = '';
    if (tagHandle !== undefined) {
      if (tagHandle === '') {
        tag = tagSuffix;
      } else {
        const d = tagDirectives.find((x) => x.handle === tagHandle);
        if (!d) throw parserError('found undefined tag handle', tagTok!, 'while parsing a node', startLine, startCol);
        tag = d.prefix + tagSuffix;
      }
    }
    if (indentlessSequence && tok.type === TOKEN_BLOCK_ENTRY) {
      state = S_INDENTLESS_SEQUENCE_ENTRY;
      sink.sequenceStart(tag, anchor, startPos, startLine, startCol);
      return;
    }
    switch (tok.type) {
      case TOKEN_SCALAR: {
        const plainImplicit = (tag === '' && tok.style === STYLE_PLAIN) || tag === '!';
        pop();
        sink.scalar(tok.value, tag, plainImplicit, anchor, startPos, startLine, startCol);
        scanner.skip();
        return;
      }
      case TOKEN_FLOW_SEQUENCE_START:
        state = S_FLOW_SEQUENCE_FIRST_ENTRY;
        sink.sequenceStart(tag, anchor, startPos, startLine, startCol);
        return;
      case TOKEN_FLOW_MAPPING_START:
        state = S_FLOW_MAPPING_FIRST_KEY;
        sink.mappingStart(tag, anchor, startPos, startLine, startCol);
        return;
      case TOKEN_BLOCK_SEQUENCE_START:
        if (!block) break;
        state = S_BLOCK_SEQUENCE_FIRST_ENTRY;
        sink.sequenceStart(tag, anchor, startPos, startLine, startCol);
        return;
      case TOKEN_BLOCK_MAPPING_START:
        if (!block) break;
        state = S_BLOCK_MAPPING_FIRST_KEY;
        sink.mappingStart(tag, anchor, startPos, startLine, startCol);
        return;
    }
    if (anchor !== '' || tag !== '') {
      // an anchor or a tag alone: an empty plain scalar
      pop();
      sink.scalar('', tag, tag === '', anchor, startPos, startLine, startCol);
      return;
    }
    throw parserError('did not find expected node content', tok, block ? 'while parsing a block node' : 'while parsing a flow node', startLine, startCol);
  };

  for (;;) {
    switch (state) {
      case S_DOCUMENT_CONTENT: {
        const tok = scanner.peek();
        if (tok.type === TOKEN_VERSION_DIRECTIVE || tok.type === TOKEN_TAG_DIRECTIVE || tok.type === TOKEN_DOCUMENT_START
          || tok.type === TOKEN_DOCUMENT_END || tok.type === TOKEN_STREAM_END) {
          pop();
          emptyScalar(tok, false);
        } else {
          parseNode(true, false);
        }
        break;
      }
      case S_DOCUMENT_END: {
        const tok = scanner.peek();
        endPos = tok.pos;
        if (tok.type === TOKEN_DOCUMENT_END) {
          endPos = tok.endPos;
          scanner.skip();
          explicitEnd = true;
        }
        state = S_DONE;
        break;
      }
      case S_BLOCK_NODE: parseNode(true, false); break;
      case S_BLOCK_NODE_OR_INDENTLESS_SEQUENCE: parseNode(true, true); break;
      case S_FLOW_NODE: parseNode(false, false); break;

      case S_BLOCK_SEQUENCE_FIRST_ENTRY:
      case S_BLOCK_SEQUENCE_ENTRY: {
        if (state === S_BLOCK_SEQUENCE_FIRST_ENTRY) {
          const first = scanner.peek();
          marks.push(first.line, first.col);
          scanner.skip();
        }
        let tok = scanner.peek();
        if (tok.type === TOKEN_BLOCK_ENTRY) {
          const m = tok;
          scanner.skip();
          tok = scanner.peek();
          if (tok.type !== TOKEN_BLOCK_ENTRY && tok.type !== TOKEN_BLOCK_END) {
            states.push(S_BLOCK_SEQUENCE_ENTRY);
            parseNode(true, false);
          } else {
            state = S_BLOCK_SEQUENCE_ENTRY;
            emptyScalar(m, true);
          }
        } else if (tok.type === TOKEN_BLOCK_END) {
          pop();
          marks.pop();
          marks.pop();
          sink.sequenceEnd();
          scanner.skip();
        } else {
          const cc = marks.pop()!;
          const cl = marks.pop()!;
          throw parserError('did not find expected \'-\' indicator', tok, 'while parsing a block collection', cl, cc);
        }
        break;
      }

      case S_INDENTLESS_SEQUENCE_ENTRY: {
        let tok = scanner.peek();
        if (tok.type === TOKEN_BLOCK_ENTRY) {
          const m = tok;
          scanner.skip();
          tok = scanner.peek();
          if (tok.type !== TOKEN_BLOCK_ENTRY && tok.type !== TOKEN_KEY && tok.type !== TOKEN_VALUE && tok.type !== TOKEN_BLOCK_END) {
            states.push(S_INDENTLESS_SEQUENCE_ENTRY);
            parseNode(true, false);
          } else {
            state = S_INDENTLESS_SEQUENCE_ENTRY;
            emptyScalar(m, true);
          }
        } else {
          pop();
          sink.sequenceEnd();
        }
        break;
      }

      case S_BLOCK_MAPPING_FIRST_KEY:
      case S_BLOCK_MAPPING_KEY: {
        if (state === S_BLOCK_MAPPING_FIRST_KEY) {
          const first = scanner.peek();
          marks.push(first.line, first.col);
          scanner.skip();
        }
        let tok = scanner.peek();
        if (tok.type === TOKEN_KEY) {
          const m = tok;
          scanner.skip();
          tok = scanner.peek();
          if (tok.type !== TOKEN_KEY && tok.type !== TOKEN_VALUE && tok.type !== TOKEN_BLOCK_END) {
            states.push(S_BLOCK_MAPPING_VALUE);
            parseNode(true, true);
          } else {
            state = S_BLOCK_MAPPING_VALUE;
            emptyScalar(m, true);
          }
        } else if (tok.type === TOKEN_BLOCK_END) {
          pop();
          marks.pop();
          marks.pop();
          sink.mappingEnd();
          scanner.skip();
        } else {
          const cc = marks.pop()!;
          const cl = marks.pop()!;
          throw parserError('did not find expected key', tok, 'while parsing a block mapping', cl, cc);
        }
        break;
      }

      case S_BLOCK_MAPPING_VALUE: {
        let tok = scanner.peek();
        if (tok.type === TOKEN_VALUE) {
          const m = tok;
          scanner.skip();
          tok = scanner.peek();
          if (tok.type !== TOKEN_KEY && tok.type !== TOKEN_VALUE && tok.type !== TOKEN_BLOCK_END) {
            states.push(S_BLOCK_MAPPING_KEY);
            parseNode(true, true);
          } else {
            state = S_BLOCK_MAPPING_KEY;
            emptyScalar(m, true);
          }
        } else {
          state = S_BLOCK_MAPPING_KEY;
          emptyScalar(tok, false);
        }
        break;
      }

      case S_FLOW_SEQUENCE_FIRST_ENTRY:
      case S_FLOW_SEQUENCE_ENTRY: {
        const first = state === S_FLOW_SEQUENCE_FIRST_ENTRY;
        if (first) {
          const f = scanner.peek();
          marks.push(f.line, f.col);
          scanner.skip();
        }
        let tok = scanner.peek();
        if (tok.type !== TOKEN_FLOW_SEQUENCE_END) {
          if (!first) {
            if (tok.type === TOKEN_FLOW_ENTRY) {
              scanner.skip();
              tok = scanner.peek();
            } else {
              const cc = marks.pop()!;
              const cl = marks.pop()!;
              throw parserError('did not find expected \',\' or \']\'', tok, 'while parsing a flow sequence', cl, cc);
            }
          }
          if (tok.type === TOKEN_KEY) {
            // a single pair inside a flow sequence: [a: b]
            state = S_FLOW_SEQUENCE_ENTRY_MAPPING_KEY;
            sink.mappingStart('', '', tok.pos, tok.line, tok.col);
            scanner.skip();
            break;
          } else if (tok.type !== TOKEN_FLOW_SEQUENCE_END) {
            states.push(S_FLOW_SEQUENCE_ENTRY);
            parseNode(false, false);
            break;
          }
        }
        pop();
        marks.pop();
        marks.pop();
        sink.sequenceEnd();
        scanner.skip();
        break;
      }

      case S_FLOW_SEQUENCE_ENTRY_MAPPING_KEY: {
        const tok = scanner.peek();
        if (tok.type !== TOKEN_VALUE && tok.type !== TOKEN_FLOW_ENTRY && tok.type !== TOKEN_FLOW_SEQUENCE_END) {
          states.push(S_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE);
          parseNode(false, false);
        } else {
          // as go-yaml v2 does, the token is consumed here
          scanner.skip();
          state = S_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE;
          emptyScalar(tok, true);
        }
        break;
      }

      case S_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE: {
        const tok = scanner.peek();
        if (tok.type === TOKEN_VALUE) {
          scanner.skip();
          const next = scanner.peek();
          if (next.type !== TOKEN_FLOW_ENTRY && next.type !== TOKEN_FLOW_SEQUENCE_END) {
            states.push(S_FLOW_SEQUENCE_ENTRY_MAPPING_END);
            parseNode(false, false);
            break;
          }
        }
        state = S_FLOW_SEQUENCE_ENTRY_MAPPING_END;
        emptyScalar(tok, false);
        break;
      }

      case S_FLOW_SEQUENCE_ENTRY_MAPPING_END:
        scanner.peek();
        state = S_FLOW_SEQUENCE_ENTRY;
        sink.mappingEnd();
        break;

      case S_FLOW_MAPPING_FIRST_KEY:
      case S_FLOW_MAPPING_KEY: {
        const first = state === S_FLOW_MAPPING_FIRST_KEY;
        if (first) {
          const f = scanner.peek();
          marks.push(f.line, f.col);
          scanner.skip();
        }
        let tok = scanner.peek();
        if (tok.type !== TOKEN_FLOW_MAPPING_END) {
          if (!first) {
            if (tok.type === TOKEN_FLOW_ENTRY) {
              scanner.skip();
              tok = scanner.peek();
            } else {
              const cc = marks.pop()!;
              const cl = marks.pop()!;
              throw parserError('did not find expected \',\' or \'}\'', tok, 'while parsing a flow mapping', cl, cc);
            }
          }
          if (tok.type === TOKEN_KEY) {
            scanner.skip();
            tok = scanner.peek();
            if (tok.type !== TOKEN_VALUE && tok.type !== TOKEN_FLOW_ENTRY && tok.type !== TOKEN_FLOW_MAPPING_END) {
              states.push(S_FLOW_MAPPING_VALUE);
              parseNode(false, false);
            } else {
              state = S_FLOW_MAPPING_VALUE;
              emptyScalar(tok, false);
            }
            break;
          } else if (tok.type !== TOKEN_FLOW_MAPPING_END) {
            states.push(S_FLOW_MAPPING_EMPTY_VALUE);
            parseNode(false, false);
            break;
          }
        }
        pop();
        marks.pop();
        marks.pop();
        sink.mappingEnd();
        scanner.skip();
        break;
      }

      case S_FLOW_MAPPING_VALUE:
      case S_FLOW_MAPPING_EMPTY_VALUE: {
        let tok = scanner.peek();
        if (state === S_FLOW_MAPPING_EMPTY_VALUE) {
          state = S_FLOW_MAPPING_KEY;
          emptyScalar(tok, false);
          break;
        }
        if (tok.type === TOKEN_VALUE) {
          scanner.skip();
          tok = scanner.peek();
          if (tok.type !== TOKEN_FLOW_ENTRY && tok.type !== TOKEN_FLOW_MAPPING_END) {
            states.push(S_FLOW_MAPPING_KEY);
            parseNode(false, false);
            break;
          }
        }
        state = S_FLOW_MAPPING_KEY;
        emptyScalar(tok, false);
        break;
      }

      case S_DONE:
        return { found: true, explicitEnd, endPos };

      default:
        throw new Error(`YAML parser in an unknown state ${state}`);
    }
  }
}

/** %YAML and %TAG directives of a document, then the default handles `!` and `!!`. */
function processDirectives(scanner: Scanner): TagDirective[] {
  const directives: TagDirective[] = [];
  let versionSeen = false;
  let t = scanner.peek();
  while (t.type === TOKEN_VERSION_DIRECTIVE || t.type === TOKEN_TAG_DIRECTIVE) {
    if (t.type === TOKEN_VERSION_DIRECTIVE) {
      if (versionSeen) throw parserError('found duplicate %YAML directive', t);
      // go-yaml v2 reads YAML 1.1 only: %YAML 1.2 is an error
      if (t.major !== 1 || t.minor !== 1) throw parserError('found incompatible YAML document', t);
      versionSeen = true;
    } else {
      if (directives.some((d) => d.handle === t.value)) throw parserError('found duplicate %TAG directive', t);
      directives.push({ handle: t.value, prefix: t.suffix });
    }
    scanner.skip();
    t = scanner.peek();
  }
  for (const d of [{ handle: '!', prefix: '!' }, { handle: '!!', prefix: 'tag:yaml.org,2002:' }]) {
    if (!directives.some((x) => x.handle === d.handle)) directives.push(d);
  }
  return directives;
}
