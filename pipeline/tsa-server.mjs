#!/usr/bin/env node
// A real RFC 3161 time-stamping authority on 127.0.0.1: `openssl ts -reply` behind a few lines of
// HTTP. The release uses it with the publisher's TSA key (DOCPROV_TSA_KEY, DOCPROV_TSA_CERT);
// the tests run it with throw-away keys. Usage:
//   node pipeline/tsa-server.mjs --key TSA.key --cert TSA.pem [--chain CHAIN.pem] [--port N]
// prints "tsa: listening on http://127.0.0.1:N/" and serves until stopped.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * Starts a TSA. `alter` lets tests make it misbehave: it may rewrite the request before openssl
 * sees it, or the response after.
 */
export function startTsa({ key, cert, chain, port = 0, alter = {} }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'docprov-tsa-'));
  writeFileSync(path.join(dir, 'serial'), '01\n');
  writeFileSync(
    path.join(dir, 'tsa.cnf'),
    [
      '[tsa]',
      'default_tsa = docprov_tsa',
      '[docprov_tsa]',
      `dir = ${dir}`,
      `serial = ${dir}/serial`,
      'crypto_device = builtin',
      'signer_digest = sha256',
      'default_policy = 1.3.6.1.4.1.55555.1.1',
      'other_policies = 1.3.6.1.4.1.55555.1.2',
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'ordering = no',
      'tsa_name = no',
      'ess_cert_id_chain = no',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  let n = 0;
  const server = createServer((req, res) => {
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => {
      const k = ++n;
      let query = Buffer.concat(parts);
      if (alter.request) query = alter.request(query);
      const q = path.join(dir, `q${k}.tsq`);
      const r = path.join(dir, `r${k}.tsr`);
      writeFileSync(q, query);
      const args = [
        'ts',
        '-reply',
        '-config',
        path.join(dir, 'tsa.cnf'),
        '-queryfile',
        q,
        '-inkey',
        key,
        '-signer',
        cert,
        '-out',
        r,
      ];
      if (chain) args.push('-chain', chain);
      const run = spawnSync('openssl', args, { encoding: 'utf8' });
      if (run.status !== 0) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(run.stderr);
        return;
      }
      let reply = readFileSync(r);
      if (alter.response) reply = alter.response(reply);
      rmSync(q, { force: true });
      rmSync(r, { force: true });
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
      res.end(reply);
    });
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}/`;
      resolve({
        url,
        requests: () => n,
        close: () =>
          new Promise((done) => {
            server.close(() => {
              rmSync(dir, { recursive: true, force: true });
              done();
            });
            server.closeAllConnections?.();
          }),
      });
    }),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: {
      key: { type: 'string' },
      cert: { type: 'string' },
      chain: { type: 'string' },
      port: { type: 'string' },
    },
  });
  const key = values.key ?? process.env.DOCPROV_TSA_KEY;
  const cert = values.cert ?? process.env.DOCPROV_TSA_CERT;
  if (!key || !cert) {
    console.error(
      'docprov: error: tsa-server needs --key and --cert (or DOCPROV_TSA_KEY and DOCPROV_TSA_CERT)',
    );
    console.error(
      'docprov: hint: node pipeline/tsa-server.mjs --key ../shared/release-signing/tsa/tsa.key --cert ../shared/release-signing/tsa/tsa.pem',
    );
    process.exit(2);
  }
  const tsa = await startTsa({
    key,
    cert,
    ...(values.chain ? { chain: values.chain } : {}),
    port: Number(values.port ?? 0),
  });
  console.log(`tsa: listening on ${tsa.url}`);
  const stop = () => tsa.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
