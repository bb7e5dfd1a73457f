import type { CryptoProvider } from '../crypto.js';
import type { Certificate } from '../pki/certificate.js';
import { envelopeSignedBy, IN_TOTO_PAYLOAD_TYPE, parseEnvelope } from './dsse.js';
import { SLSA_PROVENANCE, STATEMENT_TYPE, type Statement } from './statement.js';

// Checks a provenance envelope against a folder: signed by the manifest's signer, an in-toto
// Statement of SLSA provenance, about this document, and its subjects exactly the document's
// files with their digests (no file left out, none added, none changed).

export interface ProvenanceFindings {
  statement?: Statement;
  /** Whether the DSSE signature verifies with the signer's key. */
  signed: boolean;
  /** What is wrong with the statement's content, if anything. */
  problems: string[];
  /** Why it could not be read at all. */
  unreadable?: string;
}

export async function checkProvenance(
  crypto: CryptoProvider,
  bytes: Uint8Array,
  expect: { document: string; files: ReadonlyMap<string, string>; signer?: Certificate },
): Promise<ProvenanceFindings> {
  const env = parseEnvelope(bytes);
  if (typeof env === 'string') return { signed: false, problems: [], unreadable: env };
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return {
      signed: false,
      problems: [],
      unreadable: `its payloadType is "${env.payloadType}", not ${IN_TOTO_PAYLOAD_TYPE}`,
    };
  let s: Statement;
  try {
    s = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(env.payload)) as Statement;
  } catch {
    return { signed: false, problems: [], unreadable: 'its payload is not JSON' };
  }
  const signed = !!expect.signer && (await envelopeSignedBy(env, expect.signer, crypto));
  const problems: string[] = [];
  if (s?._type !== STATEMENT_TYPE) problems.push(`_type is not ${STATEMENT_TYPE}`);
  if (s?.predicateType !== SLSA_PROVENANCE)
    problems.push(`predicateType is not ${SLSA_PROVENANCE}`);
  const doc = s?.predicate?.buildDefinition?.externalParameters?.document;
  if (doc !== expect.document)
    problems.push(`it is about document "${String(doc)}", not "${expect.document}"`);
  const subjects = Array.isArray(s?.subject) ? s.subject : [];
  const named = new Map(subjects.map((x) => [x?.name, x?.digest?.sha256]));
  if (named.size !== subjects.length) problems.push('it names a subject twice');
  for (const [name, sha] of expect.files) {
    if (!named.has(name)) problems.push(`it does not name ${name}`);
    else if (named.get(name) !== sha) problems.push(`${name} differs from its subject digest`);
  }
  for (const name of named.keys())
    if (typeof name !== 'string' || !expect.files.has(name))
      problems.push(`it names ${JSON.stringify(name)}, which is not a file of this document`);
  return { statement: s, signed, problems };
}
