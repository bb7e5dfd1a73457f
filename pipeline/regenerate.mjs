#!/usr/bin/env node
// npm run regenerate: rebuild every document into artifacts/<id>/ with the publisher's key, and
// publish the verification page (dist/verify.html, which npm run build made) as
// artifacts/verify.html. `--page-only` publishes the page alone, and needs no key.
// Deterministic: the build time comes from pipeline/release.json, so the same key and sources
// reproduce the committed artifacts byte for byte. Each folder is built, verified, then swapped in.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { $, chalk } from 'zx';
import { describeFolder, docprov, group, jobSummary, root, sourceIds, sourcesDir } from './lib.mjs';

$.verbose = false;
$.quiet = true;
const fail = (message, hint, code = 2) => {
  console.error(`docprov: error: ${message}`);
  if (hint) console.error(`docprov: hint: ${hint}`);
  process.exit(code);
};
const artifactsDir = process.env.DOCPROV_ARTIFACTS ?? path.join(root, 'artifacts');
/** The page is built, not signed: a copy of what npm run build made from the sources. */
function publishPage() {
  const built = path.join(root, 'dist', 'verify.html');
  if (!existsSync(built)) fail(`${built} is missing`, 'npm run build makes it');
  const published = path.join(artifactsDir, 'verify.html');
  // Written only when it differs: an unchanged page is not touched.
  if (!existsSync(published) || !readFileSync(published).equals(readFileSync(built)))
    copyFileSync(built, published);
  console.log(`  verify.html: ${readFileSync(built).length} bytes, from dist/verify.html`);
}
// Only the options below: one mistyped or meant for docprov build would be silently ignored.
const OPTIONS = ['--page-only', '--new-release-time', '--renew-timestamps'];
for (const arg of process.argv.slice(2))
  if (!OPTIONS.includes(arg))
    fail(
      `regenerate does not take ${JSON.stringify(arg)}`,
      /^--revocation/.test(arg)
        ? 'revocation data goes in the environment: DOCPROV_REVOCATION=FILE[:FILE...] npm run regenerate (or list the file in pipeline/release.json)'
        : `its options: ${OPTIONS.join(', ')} (README, section 3)`,
    );
if (process.argv.includes('--page-only')) {
  publishPage();
  process.exit(0);
}
// A key on a token (a pkcs11: URI) may keep its certificate chain on the token too.
const onToken = /^\s*pkcs11:/i.test(process.env.DOCPROV_SIGNING_KEY ?? '');
if (!process.env.DOCPROV_SIGNING_KEY || (!process.env.DOCPROV_SIGNING_CERT && !onToken))
  fail(
    'regenerate signs with the publisher key, and DOCPROV_SIGNING_KEY / DOCPROV_SIGNING_CERT are not set',
    'DOCPROV_SIGNING_KEY=../shared/release-signing/signer.key DOCPROV_SIGNING_CERT=../shared/release-signing/chain.pem npm run regenerate (or DOCPROV_SIGNING_KEY=pkcs11:... for a key on a token: docprov keys --help)',
  );
if (!process.env.DOCPROV_LOG_KEY)
  fail(
    "regenerate enters each release in the publisher's transparency log, and DOCPROV_LOG_KEY is not set",
    'DOCPROV_LOG_KEY=../shared/release-signing/log/log.key (with the signing variables) npm run regenerate',
  );
const releaseFile = path.join(root, 'pipeline', 'release.json');
const release = JSON.parse(readFileSync(releaseFile, 'utf8'));
const newTime = process.argv.includes('--new-release-time');
const epoch = newTime ? Math.floor(Date.now() / 60_000) * 60 : release.sourceDateEpoch;
console.log(
  `release time ${new Date(epoch * 1000).toISOString()} (SOURCE_DATE_EPOCH=${epoch}${newTime ? ', new' : ', from pipeline/release.json'})`,
);

// Timestamps: the TSA named by DOCPROV_TSA_URL, or the publisher's own run here from its key
// (DOCPROV_TSA_KEY, DOCPROV_TSA_CERT). Unchanged artifacts reuse their published tokens and ask
// no TSA at all; --renew-timestamps adds a fresh document timestamp (archive renewal).
const renew = process.argv.includes('--renew-timestamps');
let tsa;
if (!process.env.DOCPROV_TSA_URL && process.env.DOCPROV_TSA_KEY && process.env.DOCPROV_TSA_CERT) {
  const { startTsa } = await import('./tsa-server.mjs');
  tsa = await startTsa({ key: process.env.DOCPROV_TSA_KEY, cert: process.env.DOCPROV_TSA_CERT });
  process.env.DOCPROV_TSA_URL = tsa.url;
  console.log(`time-stamping authority: ${tsa.url} (openssl ts -reply with DOCPROV_TSA_KEY)`);
}
// Revocation data the certificates do not point to themselves: files named in release.json
// (public CRLs of the publisher's root), and DOCPROV_REVOCATION (paths, separated by ':').
const revocation = [
  ...(release.revocation ?? []).map((p) => path.join(root, p)),
  ...(process.env.DOCPROV_REVOCATION ?? '').split(':').filter(Boolean),
].flatMap((p) => ['--revocation', p]);

// The transparency log beside the documents: each release appends an entry, an unchanged one
// is found (and its published proof kept), nothing is ever removed.
const log = ['--log', path.join(artifactsDir, 'log'), '--log-origin', release.log.origin];

let failed = 0;
for (const id of sourceIds()) {
  await group(`regenerate ${id}`, async () => {
    const out = path.join(artifactsDir, id);
    // --release: the publisher key only, and the self-check trusts the shipped roots only.
    const run = await $({
      nothrow: true,
      env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) },
    })`node ${docprov} build ${path.join(sourcesDir, id)} -o ${out} --release --json --reuse-timestamps ${out} ${revocation} ${log} ${renew ? ['--renew-timestamps'] : []}`;
    process.stderr.write(run.stderr);
    if (run.exitCode !== 0) {
      failed++;
      // A killed build may have stopped mid-swap: the next docprov run finishes it, and says so.
      console.log(
        run.signal
          ? `  ${id}: ${chalk.red('FAILED')} (killed by ${run.signal}); the next docprov run restores ${out} and says how`
          : `  ${id}: ${chalk.red('FAILED')}; ${out} was left untouched`,
      );
      return;
    }
    const files = describeFolder(out);
    for (const f of files)
      console.log(`  ${f.name.padEnd(34)} ${String(f.size).padStart(7)}  ${f.sha256}`);
    // The verdict the build's own self-check reached on the data current now; readers wait for
    // revocation data issued after the signature, and the build warned when none exists yet.
    let verdict = 'unknown';
    try {
      verdict = JSON.parse(run.stdout).verdict ?? verdict;
    } catch {
      // not JSON: the summary says unknown rather than guess
    }
    if (verdict === 'authentic' && /will call the copy "not yet proven"/.test(run.stderr))
      verdict =
        'authentic at build time; readers: intact, not yet proven (revocation data pending)';
    console.log(`  verdict: ${verdict}`);
    jobSummary(`docprov regenerate: ${id}`, files, verdict);
  });
}
await tsa?.close();
if (failed) process.exit(1);
publishPage();
if (newTime)
  writeFileSync(
    releaseFile,
    JSON.stringify({ ...release, sourceDateEpoch: epoch }, null, 2) + '\n',
  );
const check = await $({
  nothrow: true,
  // Revocation data issued after the new signatures may not exist yet (the CA issues it later):
  // check says "pending" then, loudly, and still holds everything else to account.
})`node ${docprov} check ${artifactsDir} --sources ${sourcesDir} --allow-pending-revocation`;
process.stdout.write(check.stdout);
process.exit(check.exitCode === 0 ? 0 : 1);
