#!/usr/bin/env node
// Static security scan of the Electron app with @doyensec/electronegativity, as a gate: the tool exits 0
// whatever it finds, so this script reads its CSV and fails on any HIGH or MEDIUM finding that is not
// suppressed in .electronegativity-suppressions.json (each suppression names the check, the file, and why).
//
// Main, preload and renderer are scanned together (copied, without tests and test fakes, into a temp
// folder) because the tool's global checks (navigation limits, permission handler, CSP) span all of them.
// Offline: the check that looks up Electron releases online is excluded.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const suppressionsFile = path.join(root, '.electronegativity-suppressions.json');
const GATED = new Set(['HIGH', 'MEDIUM']);

/** One CSV line -> fields (the tool quotes fields that hold commas). */
function parseCsvLine(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur.trim()); cur = ''; }
    else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

function loadSuppressions() {
  if (!fs.existsSync(suppressionsFile)) return [];
  const list = JSON.parse(fs.readFileSync(suppressionsFile, 'utf8'));
  if (!Array.isArray(list)) throw new Error(`${suppressionsFile}: expected an array`);
  for (const [i, s] of list.entries()) {
    if (typeof s.check !== 'string' || typeof s.reason !== 'string' || s.reason.trim().length < 10) {
      throw new Error(`${suppressionsFile}[${i}]: each suppression needs "check" and a one-line "reason"`);
    }
  }
  return list;
}

const isScanned = (src) => !/\.test\.[cm]?[jt]sx?$/.test(src) && !src.split(path.sep).includes('test') && !src.split(path.sep).includes('test-support');

function stageSources(dir) {
  for (const part of ['electron', 'renderer']) {
    fs.cpSync(path.join(root, part), path.join(dir, part), { recursive: true, filter: isScanned });
  }
  const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'soradesk-scan', devDependencies: { electron: electronVersion } }));
  return electronVersion;
}

function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'soradesk-electronegativity-'));
  try {
    const electronVersion = stageSources(work);
    const csv = path.join(work, 'report.csv');
    const bin = path.join(root, 'node_modules/@doyensec/electronegativity/dist/index.js');
    execFileSync(process.execPath, ['--import', pathToFileURL(path.join(root, 'scripts/electronegativity-commander.mjs')).href, bin, '-i', work, '-r', '-e', electronVersion, '-x', 'AvailableSecurityFixesGlobalCheck', '-o', csv, '-v', 'false'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const [header, ...rows] = fs.readFileSync(csv, 'utf8').split(/\r?\n/).filter(Boolean);
    const cols = parseCsvLine(header);
    const findings = rows.map((line) => Object.fromEntries(parseCsvLine(line).map((v, i) => [cols[i], v])));
    const suppressions = loadSuppressions();
    const used = new Set();
    const blocking = [];
    for (const f of findings) {
      if (!GATED.has(f.severity)) continue;
      const idx = suppressions.findIndex((s) => s.check === f.issue && (s.file ?? 'N/A') === f.filename);
      if (idx >= 0) used.add(idx);
      else blocking.push(f);
    }
    const suppressedCount = findings.filter((f) => GATED.has(f.severity)).length - blocking.length;
    for (const f of blocking) console.error(`${f.severity} ${f.issue} ${f.filename}:${f.location}  ${f.description}  (${f.url})`);
    for (const [i, s] of suppressions.entries()) {
      if (!used.has(i)) console.error(`note: suppression ${s.check} ${s.file ?? 'N/A'} matched nothing; remove it`);
    }
    console.log(`electronegativity: ${findings.length} findings, ${suppressedCount} HIGH/MEDIUM suppressed with a reason, ${blocking.length} blocking`);
    process.exitCode = blocking.length > 0 ? 1 : 0;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
