// The library prints lint and Cilium warnings at synth (to stderr and console.warn), and this suite
// triggers them on purpose; they are kept out of the test output here, in our own suite only.
// Tests that check the printing spy on the same functions and see every call.
const PREFIX = '[cdk8s-netpol';
const warn = console.warn.bind(console);
const write = process.stderr.write.bind(process.stderr);

beforeEach(() => {
  jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).startsWith(PREFIX)) warn(...args);
  });
  jest.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown, ...rest: any[]) =>
    (String(chunk).startsWith(PREFIX) ? true : write(chunk as any, ...rest))) as typeof process.stderr.write);
});
