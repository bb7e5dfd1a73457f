import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fromBase64, toBase64 } from '../../core/base64.js';
import { openCheckpoint } from '../../core/tlog/checkpoint.js';
import { parseEntry } from '../../core/tlog/entry.js';
import { auditLog, readLog } from '../../core/tlog/log.js';
import { consistencyProof, rootOf, verifyConsistency, type Hash } from '../../core/tlog/merkle.js';
import type { NoteKey } from '../../core/tlog/note.js';
import { sameBytes } from '../../core/crypto.js';
import { DocprovError } from '../../core/errors.js';
import { nodeCrypto } from '../../node/crypto.js';
import { readInput } from '../../node/files.js';
import { historyNames, logReader } from '../../node/transparency-log.js';
import { loadLogKeys, logKeyFrom } from '../../node/trust-store.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, usageError, type Io } from '../io.js';
import { printable } from '../printable.js';

const unusable = (code: string, message: string, hint: string) =>
  new DocprovError(code, message, { severity: 'unusable', hint });

/** The key a log's checkpoints are checked with: --key, else the trust store's for its origin. */
function keyFor(checkpoint: Uint8Array, given: string | undefined, what: string): NoteKey {
  const origin = new TextDecoder().decode(checkpoint.subarray(0, 4096)).split('\n')[0] ?? '';
  if (given) return logKeyFrom(given, '--key');
  // Several keys pinned for one log (a rotation): the one whose signature the checkpoint bears.
  const pins = loadLogKeys().filter((k) => k.name === origin);
  const pinned = pins.find((k) => openCheckpoint(nodeCrypto, checkpoint, [k]).ok) ?? pins[0];
  if (!pinned)
    throw unusable(
      'no-log-key',
      `${what} is a checkpoint of the log "${printable(origin)}", and docprov pins no key for it`,
      "give the log's verifier key: --key KEY (origin+keyid+base64, or a file holding it); a folder's manifest.json names it under log.key",
    );
  return pinned;
}

function readCheckpoint(path: string, key: string | undefined) {
  const bytes = readInput(path, 64 << 10);
  const k = keyFor(bytes, key, path);
  const opened = openCheckpoint(nodeCrypto, bytes, [k]);
  if (!opened.ok) return { path, key: k, problem: opened.reason };
  return { path, key: k, checkpoint: opened.checkpoint };
}

/** The log folder a checkpoint file lies in: DIR/checkpoint, or DIR/checkpoints/N. */
function logDirOf(path: string): string | undefined {
  const d = dirname(path);
  const candidate = basename(d) === 'checkpoints' ? dirname(d) : d;
  return existsSync(join(candidate, 'tile')) ? candidate : undefined;
}

function proofFromFile(path: string): Hash[] {
  const hashes: Hash[] = [];
  for (const line of new TextDecoder().decode(readInput(path, 64 << 10)).split('\n')) {
    if (line === '') continue;
    const h = fromBase64(line);
    if (!h || h.length !== 32)
      throw unusable(
        'bad-proof',
        `${path} is not a consistency proof (one base64 SHA-256 hash a line)`,
        'docprov log prove OLD NEW writes one',
      );
    hashes.push(h);
  }
  return hashes;
}

async function verify(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('log', args, {
    log: { type: 'string' },
    key: { type: 'string' },
    proof: { type: 'string' },
  });
  if (positionals.length !== 2)
    throw usageError('log verify takes OLD and NEW checkpoint files', 'run "docprov log --help"');
  const [oldPath, newPath] = positionals as [string, string];
  const old = readCheckpoint(oldPath, values.key);
  const cur = readCheckpoint(newPath, values.key);
  for (const c of [old, cur])
    if (!c.checkpoint) {
      io.out(printable(`✗ ${c.path}: ${c.problem}`) + '\n');
      return EXIT.invalid;
    }
  const [a, b] = [old.checkpoint!, cur.checkpoint!];
  const fail = (why: string) => {
    io.out(printable(`✗ NOT consistent: ${why}`) + '\n');
    return EXIT.invalid;
  };
  if (a.origin !== b.origin)
    return fail(`${oldPath} is of the log "${a.origin}", ${newPath} of "${b.origin}"`);
  if (a.size > b.size)
    return fail(
      `${oldPath} holds ${a.size} entries and ${newPath} only ${b.size}: if they were given the wrong way round, give the older one first; if ${newPath} is what the log serves now, the log has shrunk, which an append-only log never does`,
    );
  let proof: Hash[] = [];
  let from = '';
  if (a.size > 0 && values.proof) {
    proof = proofFromFile(values.proof);
    from = `the proof in ${values.proof}`;
  } else if (a.size > 0) {
    const dir = values.log ?? logDirOf(newPath);
    if (!dir)
      throw usageError(
        `${newPath} is not in a log folder: say where the log's tiles are`,
        'give --log DIR (the folder holding checkpoint and tile/), or --proof FILE',
      );
    const log = readLog(nodeCrypto, logReader(dir), cur.key);
    if (typeof log === 'string') return fail(`the log in ${dir}: ${log}`);
    if (log.size < b.size || !sameBytes(rootOf(nodeCrypto, log.leaves, 0, b.size), b.root))
      return fail(`the log in ${dir} does not hold the tree of ${newPath}`);
    proof = consistencyProof(nodeCrypto, log.leaves, a.size, b.size);
    from = `a proof of ${proof.length} hashes computed from the tiles in ${dir}`;
  }
  if (a.size > 0 && !verifyConsistency(nodeCrypto, a.size, b.size, a.root, b.root, proof))
    return fail(
      `${from} does not prove the tree of ${a.size} entries a prefix of the tree of ${b.size}: the log was rewritten, or the proof is wrong`,
    );
  io.out(
    printable(
      `✓ consistent: the log "${a.origin}" of ${a.size} entries (root ${toBase64(a.root)}) is a prefix of the one of ${b.size} (root ${toBase64(b.root)}): ${b.size - a.size} entries were added, none removed or changed${from ? ` (${from})` : ''}`,
    ) + '\n',
  );
  return EXIT.ok;
}

function prove(args: string[], io: Io): number {
  const { values, positionals } = parse('log', args, {
    log: { type: 'string' },
    key: { type: 'string' },
  });
  if (positionals.length !== 2)
    throw usageError('log prove takes OLD and NEW checkpoint files', 'run "docprov log --help"');
  const [oldPath, newPath] = positionals as [string, string];
  const old = readCheckpoint(oldPath, values.key);
  const cur = readCheckpoint(newPath, values.key);
  const dir = values.log ?? logDirOf(newPath);
  if (!old.checkpoint || !cur.checkpoint || !dir)
    throw usageError(
      !dir
        ? `${newPath} is not in a log folder`
        : `${old.checkpoint ? newPath : oldPath}: ${old.problem ?? cur.problem}`,
      'give two checkpoints of the log, oldest first, and --log DIR',
    );
  const log = readLog(nodeCrypto, logReader(dir), cur.key);
  if (typeof log === 'string')
    throw unusable('log-damaged', `the log in ${dir}: ${log}`, 'restore it from version control');
  if (
    old.checkpoint.size < 1 ||
    old.checkpoint.size > cur.checkpoint.size ||
    cur.checkpoint.size > log.size
  )
    throw usageError(
      `no consistency proof from ${old.checkpoint.size} to ${cur.checkpoint.size} entries in a log of ${log.size}`,
      'give the older checkpoint first',
    );
  for (const h of consistencyProof(
    nodeCrypto,
    log.leaves,
    old.checkpoint.size,
    cur.checkpoint.size,
  ))
    io.out(`${toBase64(h)}\n`);
  return EXIT.ok;
}

function show(args: string[], io: Io): number {
  const { values, positionals } = parse('log', args, { key: { type: 'string' } });
  const dir = positionals[0] ?? 'artifacts/log';
  if (
    positionals.length > 1 ||
    !existsSync(join(dir, 'checkpoint')) ||
    !statSync(dir).isDirectory()
  )
    throw usageError(
      `${dir} is not a transparency log folder (no checkpoint)`,
      'give the log folder, e.g. artifacts/log',
    );
  const key = keyFor(
    readInput(join(dir, 'checkpoint'), 64 << 10),
    values.key,
    join(dir, 'checkpoint'),
  );
  const audit = auditLog(nodeCrypto, logReader(dir), historyNames(dir), key);
  if (!audit.log) {
    io.out(printable(`✗ ${dir}: ${audit.problems.join('; ')}`) + '\n');
    return EXIT.invalid;
  }
  const log = audit.log;
  io.out(printable(`log "${log.origin}": ${log.size} entries, root ${toBase64(log.root)}`) + '\n');
  io.out(printable(`checkpoints kept: ${audit.history.join(', ') || 'none'}`) + '\n');
  log.entries.forEach((e, i) => {
    const p = parseEntry(e);
    io.out(
      printable(
        p
          ? `${String(i).padStart(5)}  ${p.time}  ${p.document}  manifest ${p.manifest.slice(0, 16)}…  signer ${p.signer.slice(0, 16)}…`
          : `${String(i).padStart(5)}  (not a docprov entry: ${e.length} bytes)`,
      ) + '\n',
    );
  });
  for (const p of audit.problems) io.out(printable(`✗ ${p}`) + '\n');
  return audit.problems.length ? EXIT.invalid : EXIT.ok;
}

export const logCommand: Command = {
  name: 'log',
  help: `Usage: docprov log verify OLD NEW [--log DIR | --proof FILE] [--key KEY]
       docprov log prove OLD NEW [--log DIR] [--key KEY]
       docprov log show [DIR] [--key KEY]

The publisher's transparency log (a C2SP tiled log: DIR/checkpoint, DIR/checkpoints/<size>,
DIR/tile/...). A checkpoint you kept is your proof of what the log held then; a later one that
is consistent with it proves that nothing was removed or changed since, only added.

verify   checks that checkpoint OLD is a prefix of checkpoint NEW: both signed by the log's key,
         and a consistency proof (from --proof FILE, else computed from the tiles of the log
         NEW lies in, or --log DIR) that proves OLD's tree a prefix of NEW's
prove    prints that consistency proof, one base64 hash a line (RFC 9162, as Go's tlog uses)
show     lists the entries (index, time, document, manifest digest, signer) and audits the log:
         its tiles rebuild its checkpoint, and every kept checkpoint is consistent with it

The log's key: --key (its verifier key, origin+keyid+base64, or a file holding it), else the
one trust/logs/ pins for the checkpoint's origin.

Exit: 0 consistent (verify) or whole (show), 1 not, 2 could not run.
`,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action === 'verify') return verify(rest, io);
    if (action === 'prove') return prove(rest, io);
    if (action === 'show') return show(rest, io);
    throw usageError('log takes "verify", "prove" or "show"', 'run "docprov log --help"');
  },
};
