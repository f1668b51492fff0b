/**
 * Where the CLI writes: standard output or `--output FILE`, with write errors turned into clear
 * messages (a reader that closed the pipe ends the run quietly, as `... | head` expects; a full disk
 * is an error naming the target), and progress lines on a terminal's stderr for long runs.
 */
import * as fs from 'fs';

/** The reader of standard output closed it (`| head`): the run stops writing and ends quietly. */
export class OutputClosed extends Error {}

/** The report could not be written (a full disk, a missing folder): exit code OUTPUT_FAILED. */
export class OutputError extends Error {}

/** What the CLI writes to and reads the clock from (the process, or a test). */
export interface CliIo {
  /** stderr is a terminal (progress is shown only then). */
  readonly stderrIsTTY?: boolean;
  /** Writes report text; may return a promise that settles once written (backpressure, errors). */
  stdout(text: string): void | Promise<void>;
  /** Writes messages. */
  stderr(text: string): void;
  /** Milliseconds, for progress timing. */
  now?(): number;
}

function describe(e: any): string {
  return e?.code ? `${e.code}: ${String(e.message ?? '').replace(/^\w+: /, '')}` : String(e?.message ?? e);
}

/** Writes to a stream chunk by chunk, waiting for each write (a 200 MB report is never queued whole). */
export function streamWriter(stream: NodeJS.WritableStream, name: string): (text: string) => Promise<void> {
  let closed = false;
  let failure: Error | undefined;
  // an 'error' event without a listener is an uncaught exception with a stack trace
  stream.on('error', (e: any) => {
    if (e?.code === 'EPIPE') closed = true;
    else failure ??= e;
  });
  return (text) => new Promise<void>((resolve, reject) => {
    if (closed) return reject(new OutputClosed());
    if (failure) return reject(new OutputError(`cannot write to ${name}: ${describe(failure)}`));
    stream.write(text, (e?: any) => {
      if (!e) return resolve();
      if (e.code === 'EPIPE') {
        closed = true;
        return reject(new OutputClosed());
      }
      failure ??= e;
      reject(new OutputError(`cannot write to ${name}: ${describe(e)}`));
    });
  });
}

/** The process's own streams. */
export function processIo(): CliIo {
  const out = streamWriter(process.stdout, 'standard output');
  // a closed or full stderr must not end the run with a stack trace either
  process.stderr.on('error', () => undefined);
  return {
    stdout: out,
    stderr: (t) => {
      try {
        process.stderr.write(t);
      } catch {
        // nothing left to report to
      }
    },
    stderrIsTTY: !!process.stderr.isTTY,
    now: () => Date.now(),
  };
}

/** A sink for one report: `--output FILE`, or the CLI's stdout. */
export interface ReportSink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

export function reportSink(io: CliIo, file: string | undefined): ReportSink {
  if (file === undefined) {
    return { write: async (t) => { await io.stdout(t); }, close: async () => undefined };
  }
  let fd: number;
  try {
    fd = fs.openSync(file, 'w');
  } catch (e: any) {
    throw new OutputError(`--output ${file}: cannot create the file (${describe(e)}); check that the folder exists and is writable`);
  }
  return {
    write: async (t) => {
      try {
        let buf = Buffer.from(t, 'utf8');
        while (buf.length) buf = buf.subarray(fs.writeSync(fd, buf));
      } catch (e: any) {
        throw new OutputError(`--output ${file}: cannot write (${describe(e)})`);
      }
    },
    close: async () => {
      try {
        fs.closeSync(fd);
      } catch (e: any) {
        throw new OutputError(`--output ${file}: cannot write (${describe(e)})`);
      }
    },
  };
}

/** Progress lines on stderr, shown only on a terminal and only once a run has taken more than `after` ms. */
export class Progress {
  private readonly start: number;
  private shown = false;

  constructor(private readonly io: CliIo, private readonly after = 2000) {
    this.start = io.now ? io.now() : Date.now();
  }

  /** Reports the step the run is at (when it has run long enough). */
  step(message: string): void {
    if (!this.io.stderrIsTTY) return;
    const elapsed = (this.io.now ? this.io.now() : Date.now()) - this.start;
    if (elapsed < this.after) return;
    // \r and erase-line keep one status line that the next step overwrites
    this.io.stderr(`\r\x1b[Kcdk8s-netpol: ${message} (${(elapsed / 1000).toFixed(1)} s)`);
    this.shown = true;
  }

  /** Clears the status line (before the report, or at the end). */
  done(): void {
    if (this.shown) this.io.stderr('\r\x1b[K');
    this.shown = false;
  }
}
