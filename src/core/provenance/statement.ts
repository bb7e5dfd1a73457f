import { canonicalJson } from '../canonical-json.js';
import { digest, toHex, type CryptoProvider } from '../crypto.js';

// SLSA provenance v1 (slsa.dev/provenance/v1) in an in-toto Statement v1: which files were
// made (the subjects), from what (the sources, fonts, tools, the lock file) and by whom.
// Subjects are the document's own files (the PDF, the text, the metadata): the statement is
// itself listed in manifest.json and SHA256SUMS, which are signed after it, so it cannot name
// them; they name it. docprov's build type is documented in the README ("Provenance").

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE = 'https://slsa.dev/provenance/v1';
export const BUILD_TYPE = 'https://docprov.example/buildtypes/document/v1';
/** The builder id of a build on someone's own machine (not CI). */
export const LOCAL_BUILDER = 'https://docprov.example/builders/local/v1';
export const PROVENANCE_FILE = 'provenance.intoto.json';

export interface ResourceDescriptor {
  name: string;
  uri?: string;
  digest: Record<string, string>;
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: ResourceDescriptor[];
  predicateType: typeof SLSA_PROVENANCE;
  predicate: {
    buildDefinition: {
      buildType: string;
      externalParameters: { document: string; sourcePath: string; gitCommit?: string };
      internalParameters: { docprovVersion: string; SOURCE_DATE_EPOCH?: string };
      resolvedDependencies: ResourceDescriptor[];
    };
    runDetails: { builder: { id: string }; metadata?: { invocationId: string } };
  };
}

/** What the edge knows about a build: where the sources came from, the tools, the builder. */
export interface ProvenanceInput {
  sourcePath: string;
  /** The commit that last changed the sources, when they are exactly as committed there. */
  gitCommit?: string;
  builder: { id: string; invocationId?: string };
  /** Inputs besides source.txt and metadata.json: the fonts, HarfBuzz, package-lock.json. */
  dependencies: { name: string; uri?: string; bytes: Uint8Array }[];
}

const sha256 = (crypto: CryptoProvider, b: Uint8Array) => toHex(digest(crypto, 'SHA-256', b));

/** The object id git gives these bytes (`git hash-object`): a reader can match a checkout. */
export function gitBlob(crypto: CryptoProvider, bytes: Uint8Array): string {
  const head = new TextEncoder().encode(`blob ${bytes.length}\0`);
  const b = new Uint8Array(head.length + bytes.length);
  b.set(head, 0);
  b.set(bytes, head.length);
  return toHex(digest(crypto, 'SHA-1', b));
}

export function buildStatement(
  crypto: CryptoProvider,
  m: {
    document: string;
    subjects: ReadonlyMap<string, Uint8Array>;
    source: Uint8Array;
    metadata: Uint8Array;
    toolVersion: string;
    sourceDateEpoch?: string;
    provenance: ProvenanceInput;
  },
): Statement {
  const p = m.provenance;
  const source = (name: string, bytes: Uint8Array): ResourceDescriptor => ({
    name: `${p.sourcePath}/${name}`,
    digest: { sha256: sha256(crypto, bytes), gitBlob: gitBlob(crypto, bytes) },
  });
  return {
    _type: STATEMENT_TYPE,
    subject: [...m.subjects.keys()]
      .sort()
      .map((name) => ({ name, digest: { sha256: sha256(crypto, m.subjects.get(name)!) } })),
    predicateType: SLSA_PROVENANCE,
    predicate: {
      buildDefinition: {
        buildType: BUILD_TYPE,
        externalParameters: {
          document: m.document,
          sourcePath: p.sourcePath,
          ...(p.gitCommit ? { gitCommit: p.gitCommit } : {}),
        },
        internalParameters: {
          docprovVersion: m.toolVersion,
          ...(m.sourceDateEpoch ? { SOURCE_DATE_EPOCH: m.sourceDateEpoch } : {}),
        },
        resolvedDependencies: [
          source('source.txt', m.source),
          source('metadata.json', m.metadata),
          ...p.dependencies.map((d) => ({
            name: d.name,
            ...(d.uri ? { uri: d.uri } : {}),
            digest: { sha256: sha256(crypto, d.bytes) },
          })),
        ],
      },
      runDetails: {
        builder: { id: p.builder.id },
        ...(p.builder.invocationId ? { metadata: { invocationId: p.builder.invocationId } } : {}),
      },
    },
  };
}

export const statementBytes = (s: Statement): Uint8Array =>
  new TextEncoder().encode(canonicalJson(s));
