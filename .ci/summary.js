// Prints the plain closing line `NAME: N passed, N failed` from a jest-junit report.
const fs = require('fs');
const [name, file] = process.argv.slice(2);
const xml = fs.readFileSync(file, 'utf8');
const m = xml.match(/<testsuites[^>]*\btests="(\d+)"[^>]*\bfailures="(\d+)"[^>]*\berrors="(\d+)"/);
if (!m) { console.error(`${file}: no jest-junit summary`); process.exit(1); }
const [tests, failures, errors] = m.slice(1).map(Number);
console.log(`${name}: ${tests - failures - errors} passed, ${failures + errors} failed`);
if (tests === 0) { console.error(`${name}: no test ran`); process.exit(1); }
