// Runs an `ng` command and ends it once it has reported its result.
//
// On this machine `ng build` (the esbuild-based application builder)
// writes the app and reports "Application bundle generation complete",
// then never exits: its esbuild service keeps the event loop alive (the
// same hang is reported by others, e.g. SignalK/freeboard-sk#424). This
// wrapper forwards the output, and when the builder has reported success
// or failure it stops the process and exits with the right code. A command
// that exits by itself keeps its own exit code.
//
// Usage: node scripts/ng.mjs build [ng args...]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const args = process.argv.slice(2);
/** Where the app is written: `--output-path=DIR` or `dist`. */
const outputPath = args.find((a) => a.startsWith('--output-path='))?.slice('--output-path='.length) ?? 'dist';
const child = spawn(process.execPath, ['node_modules/@angular/cli/bin/ng.js', ...args], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
});

let verdict = null; // 0 on success, 1 on failure, once reported
let grace = null;

function watch(chunk, out) {
  out.write(chunk);
  const text = chunk.toString();
  if (/Application bundle generation failed/.test(text)) verdict = 1;
  else if (/Application bundle generation complete/.test(text) && verdict === null) verdict = 0;
  if (verdict !== null && !grace) {
    // Give it a moment to finish writing and exit on its own.
    grace = setTimeout(() => {
      child.kill('SIGTERM');
      // `--output-path=DIR` on the command line puts the app in DIR/browser.
      const written = [`${outputPath}/index.html`, `${outputPath}/browser/index.html`];
      if (verdict === 0 && args[0] === 'build' && !written.some((f) => existsSync(f))) verdict = 1;
      process.exit(verdict);
    }, 3000);
  }
}

child.stdout.on('data', (c) => watch(c, process.stdout));
child.stderr.on('data', (c) => watch(c, process.stderr));
child.on('exit', (code, signal) => {
  if (grace) clearTimeout(grace);
  process.exit(code ?? (signal ? 1 : 0));
});
