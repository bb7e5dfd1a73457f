// What the independent verifiers say about a file. Both exit 0 whatever they find: only their
// output means anything, one block per signature.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface JudgeVerdict {
  /** Every signature verifies (pdfsig: and its certificate is trusted). */
  accepts: boolean;
  /** One short phrase per signature, in file order. */
  says: string;
}

async function output(cmd: string, args: string[]): Promise<string> {
  try {
    const r = await run(cmd, args, { maxBuffer: 16 << 20, timeout: 60_000 });
    return r.stdout + r.stderr;
  } catch (e) {
    const r = e as { stdout?: string; stderr?: string; message: string };
    return (r.stdout ?? '') + (r.stderr ?? '') || r.message;
  }
}

/**
 * The document timestamps of a file (neither judge checks one): the signature fields whose /V is
 * a /DocTimeStamp, by field object number and by name.
 */
function docTimestamps(file: string): { objects: Set<number>; names: Set<string> } {
  const t = readFileSync(file, 'latin1');
  const stamps = new Set(
    [...t.matchAll(/(\d+) 0 obj\s*<<\s*\/Type \/DocTimeStamp/g)].map((m) => Number(m[1])),
  );
  const objects = new Set<number>();
  const names = new Set<string>();
  for (const m of t.matchAll(/(\d+) 0 obj\s*<<([^]*?)endobj/g)) {
    const v = /\/V (\d+) 0 R/.exec(m[2]!);
    if (!v || !stamps.has(Number(v[1])) || !/\/FT \/Sig/.test(m[2]!)) continue;
    objects.add(Number(m[1]));
    const name = /\/T \(([^)]*)\)/.exec(m[2]!);
    if (name) names.add(name[1]!);
  }
  return { objects, names };
}

const PDFSIG_SIG: Record<string, string> = { 'Signature is Valid.': 'valid' };
const PDFSIG_CERT: Record<string, string> = { 'Certificate is Trusted.': 'trusted' };

/** `pdfsig -nssdir sql:DB FILE`, the database trusting the test root. */
export async function pdfsigJudge(file: string, nssDb: string): Promise<JudgeVerdict> {
  const out = await output('pdfsig', ['-nssdir', `sql:${nssDb}`, file]);
  const blocks = out.split(/^Signature #\d+:$/m).slice(1);
  if (blocks.length === 0)
    return {
      accepts: false,
      says: out.includes('does not contain any')
        ? 'no signatures'
        : (out.trim().split('\n')[0] ?? ''),
    };
  const stamps = docTimestamps(file);
  const each = blocks.map((b) => {
    const field = /Signature Field Name: (.*?)\s*$/m.exec(b)?.[1];
    if (field && stamps.names.has(field))
      return { ok: true, text: 'document timestamp (not checked by pdfsig)' };
    const sig = /Signature Validation: (.*?)\s*$/m.exec(b)?.[1] ?? 'no validation line';
    const cert = /Certificate Validation: (.*?)(?:NSS_Shutdown.*)?$/m.exec(b)?.[1]?.trim();
    const s = PDFSIG_SIG[sig] ?? sig;
    const c = cert === undefined ? undefined : (PDFSIG_CERT[cert] ?? cert);
    return { ok: s === 'valid' && c === 'trusted', text: c ? `${s}, ${c}` : s };
  });
  return { accepts: each.every((e) => e.ok), says: each.map((e) => e.text).join(' | ') };
}

/**
 * `mutool sign -v FILE`. mupdf 1.21 cannot be given a trust root (its certificate line reads
 * "Unknown error." for any private CA), so only its digest and edit findings count.
 */
export async function mutoolJudge(file: string): Promise<JudgeVerdict> {
  const out = await output('mutool', ['sign', '-v', file]);
  const blocks = out.split(/^Verifying signature \d+:$/m).slice(1);
  const fields = [...out.matchAll(/^Verifying signature (\d+):$/gm)].map((m) => Number(m[1]));
  if (blocks.length === 0)
    return { accepts: false, says: out.trim().split('\n')[0] || 'no signatures' };
  const stamps = docTimestamps(file).objects;
  const stamp = (i: number) => stamps.has(fields[i]!);
  const each = blocks.map((b, i) => {
    if (stamp(i)) return { ok: true, text: 'document timestamp (not checked by mutool)' };
    // Edits after the last signature are fine only where document timestamps follow it.
    const last = blocks.every((_, k) => k <= i || stamp(k));
    if (b.includes('The document is unchanged since signing.'))
      return { ok: true, text: 'unchanged' };
    if (b.includes('there have been edits since signing'))
      return { ok: !last, text: 'valid, edits since' };
    const err = /(Digest error|Signature is not signed).*$/m.exec(b)?.[0];
    return { ok: false, text: err ?? b.trim().split('\n').pop() ?? '?' };
  });
  return { accepts: each.every((e) => e.ok), says: each.map((e) => e.text).join(' | ') };
}
