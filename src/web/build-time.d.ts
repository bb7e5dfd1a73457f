// Values scripts/build-page.mjs puts into the page when it bundles it.

/** trust/roots/*.pem, sorted by name: the roots the CLI ships. */
declare const DOCPROV_TRUST_ROOTS: readonly { name: string; pem: string }[];
/** trust/revocation/*.pem, sorted by name: the CRLs the CLI weighs with a file's own. */
declare const DOCPROV_TRUST_CRLS: readonly { name: string; pem: string }[];
/** trust/logs/*.vkey, sorted by name: the transparency log keys the CLI pins. */
declare const DOCPROV_TRUST_LOGS: readonly { name: string; vkey: string }[];
/** package.json's version. */
declare const DOCPROV_VERSION: string;

/** The ajv standalone validator npm run build compiles from schemas/manifest.schema.json. */
declare module 'docprov:manifest-schema' {
  import type { ValidateFunction } from 'ajv';
  const validate: ValidateFunction;
  export default validate;
}
