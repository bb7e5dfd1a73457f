import { judge } from './judges.js';

// pdfsig (poppler) and `mutool sign -v` (mupdf) as judges of a signed PDF. Both exit 0 even for
// a broken signature, so their verdicts are read from their output, line by line.

/** accepts: valid and whole; warns: valid, with a reservation; rejects: anything else. */
export type Stance = 'accepts' | 'warns' | 'rejects';

export interface JudgeVerdict {
  /** A short phrase for the table, built only from what the tool printed. */
  says: string;
  stance: Stance;
  output: string;
}

const line = (out: string, label: string) =>
  new RegExp(`^\\s*- ${label}: (.*)$`, 'm').exec(out)?.[1]?.trim();

/** pdfsig with an NSS database (`nssDir`, made by nssDbTrusting) as its trust store. */
export function pdfsig(file: string, nssDir: string): JudgeVerdict {
  const r = judge('pdfsig', ['-nssdir', `sql:${nssDir}`, file]);
  const output = r.stdout + r.stderr;
  const says = (s: string, stance: Stance): JudgeVerdict => ({ says: s, stance, output });
  if (/does not contain any signatures/.test(output)) return says('no signature found', 'rejects');
  const signature = line(output, 'Signature Validation');
  if (signature === undefined) return says('cannot read the file', 'rejects');
  if (signature !== 'Signature is Valid.') return says(signature.replace(/\.$/, ''), 'rejects');
  const certificate = (line(output, 'Certificate Validation') ?? 'no certificate verdict')
    .replace(/\.$/, '')
    .replace(/^Certificate /, 'certificate ');
  const whole = /Total document signed/.test(output);
  const trusted = certificate === 'certificate is Trusted';
  return says(
    `valid, ${certificate}, ${whole ? 'total document signed' : 'NOT total document signed'}`,
    trusted && whole ? 'accepts' : 'warns',
  );
}

const MUTOOL_VERDICTS: [RegExp, string, Stance][] = [
  [/The document is unchanged since signing\./, 'unchanged since signing', 'accepts'],
  [
    /The signature is valid but there have been edits since signing\./,
    'valid, edited since signing',
    'warns',
  ],
  [
    /Digest error: Signature invalidated by change to document\./,
    'changed since signing',
    'rejects',
  ],
  [/Digest error: (.*)/, 'digest error: $1', 'rejects'],
  [/Verification error: (.*)/, 'verification error: $1', 'rejects'],
  [/Signature is not signed\./, 'not signed', 'rejects'],
  [/Signature information missing\./, 'signature information missing', 'rejects'],
];

/** `mutool sign -v`: it has no trust store, so only its verdict on the bytes is read. */
export function mutoolSign(file: string): JudgeVerdict {
  const r = judge('mutool', ['sign', '-v', file]);
  const output = r.stdout + r.stderr;
  const repaired = /repairing PDF document/.test(output) ? ' (after repairing the file)' : '';
  if (!/^Verifying signature/m.test(output))
    return { says: `no signature verified${repaired}`, stance: 'rejects', output };
  for (const [re, phrase, stance] of MUTOOL_VERDICTS) {
    const m = re.exec(output);
    if (m) return { says: phrase.replace('$1', m[1] ?? '') + repaired, stance, output };
  }
  throw new Error(`mutool sign -v printed no verdict this helper knows:\n${output}`);
}

/** The judges' versions, which the committed table was made with. */
export function judgeVersions(): string {
  const v = (cmd: string) =>
    /version ([\d.]+)/.exec((({ stdout, stderr }) => stdout + stderr)(judge(cmd, ['-v'])))?.[1] ??
    'unknown';
  return `pdfsig ${v('pdfsig')}, mutool ${v('mutool')}`;
}
