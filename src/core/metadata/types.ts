/** Letter metadata as `schemas/letter-metadata.schema.json` defines it. */
export interface LetterMetadata {
  $schema?: string;
  id: string;
  type: 'letter';
  title: string;
  date: string;
  place: string;
  language: string;
  author: { name: string; titles?: string[]; organisation?: string };
  recipient: { honorific?: string; name: string; title?: string; organisation?: string };
  related?: { relation: string; title: string; publisher?: string; url?: string }[];
  keywords?: string[];
  rights?: string;
  source?: { description: string; url?: string; retrieved?: string };
  /** Synthetic test data (npm run synthetic): never published. */
  testData?: { generator: string; seed: number; index: number };
}
