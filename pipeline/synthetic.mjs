#!/usr/bin/env node
// npm run synthetic -- N DIR [--seed S]: N synthetic letters as source folders (DIR/<id>/source.txt
// and metadata.json), for the tests and the benchmark. Seeded: the same seed gives the same bytes,
// and letter i is the same whatever N is. Each is test data and says so in its metadata
// (testData), which `docprov build --release` refuses: they are never published.
// Varied on purpose: one paragraph to four pages, dates over three decades, names with
// diacritics, and right-to-left (Arabic) names in about one addressee block in five.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const GENERATOR = 'docprov synthetic/2';

/** mulberry32: a small, fast, well-mixed 32-bit generator; one stream per letter. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const PLACES = [
  'Zürich',
  'São Paulo',
  'Kraków',
  'Reykjavík',
  'Montréal',
  'Beirut',
  'Nairobi',
  'Ljubljana',
  'Bogotá',
  'Tromsø',
  'Łódź',
  'Gdańsk',
  'Århus',
  'Brașov',
  'Île-de-France',
  'Düsseldorf',
  'Córdoba',
  'Hà Nội',
  'Geneva',
  'Amman',
];
const GIVEN = [
  'Zoë',
  'José',
  'Łukasz',
  'Søren',
  'Ngozi',
  'Antonín',
  'Đorđe',
  'Renée',
  'Björn',
  'Íñigo',
  'Chloé',
  'Şebnem',
  'Aurélie',
  'Jiří',
  'Małgorzata',
  'Nguyễn',
  'Oluwaseun',
  'Ailbhe',
  'Mária',
  'Grzegorz',
];
const FAMILY = [
  'Brontë',
  'Martínez',
  'Wójcik',
  'Kierkegård',
  'Okonjo',
  'Dvořák',
  'Petrović',
  'Lefèvre',
  'Ångström',
  'Müller',
  'Çelik',
  'Nuñez',
  'Šimková',
  'Ó Súilleabháin',
  'Gonçalves',
  'Hoàng',
  'Adébáyọ̀',
  'Kovačević',
  'Þórsdóttir',
  'Sørensen',
];
// Right-to-left names (Arabic script), for the addressee block.
const RTL_NAMES = [
  'ليلى حداد',
  'محمد الأحمد',
  'فاطمة الزهراء',
  'يوسف خوري',
  'رنا منصور',
  'سلمى العلي',
  'عمر فاروق',
  'نور الهدى',
];
const HONORIFICS = ['Mr.', 'Mrs.', 'Ms.', 'Dr.', 'Prof.'];
const TITLES = [
  'Director',
  'Head of Archives',
  'Chief Executive',
  'Secretary-General',
  'Senior Counsel',
  'Programme Officer',
  'Chair of the Board',
  'Deputy Director',
];
const ORGANISATIONS = [
  'The Example Foundation',
  'Institut für Öffentliche Dokumente',
  'Société des Archives Numériques',
  'The Public Records Council',
  'Fundação de Memória Pública',
  'Nordic Centre for Provenance',
  'The Open Letters Trust',
  'Agencia de Documentación',
];
const CLOSES = ['Yours sincerely,', 'Respectfully,', 'With best regards,', 'Sincerely,'];
const WORDS = (
  'the archive record letter council document provenance signature copy original public ' +
  'request review decision committee report evidence witness statement publication history ' +
  'obligation principle agreement authority proposal consideration meeting question answer ' +
  'policy register office minutes draft version revision annex summary conclusion context ' +
  'café naïve rôle façade résumé déjà über coöperation protégé entrée fiancée soufflé ' +
  'we they it this that those these our their its a an of to in for on with by from at as ' +
  'is are was were have has had will would shall should may might can could must ' +
  'carefully promptly fully openly clearly again further always never already also ' +
  'important necessary independent reliable complete careful difficult recent previous ' +
  'consider publish verify confirm preserve examine request withdraw support explain note ' +
  'international organisation responsibility transparency accountability ' +
  'well-documented long-standing so-called'
).split(' ');

const pick = (rnd, xs) => xs[Math.floor(rnd() * xs.length)];
const int = (rnd, lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));

// Made-up words, one in ten: real letters use far more distinct words than a short list, and
// a typesetter that remembers words must not be flattered by the corpus (1,000 letters: about
// 870,000 words, 70,000 distinct; English text that long has some 35,000).
const SYLLABLES = (
  'con ver sa tion pro vi den tial ar chi val re cord ing mo ment ous ter ri to ry ' +
  'in de pen dent ly sub stan ti ate ob li ga tory ex am in er tra di tion al ' +
  'com mu ni ca ble ad mi nis tra tive gen er al ize pre ser va tion'
).split(' ');

function madeUpWord(rnd) {
  let w = '';
  for (let k = int(rnd, 2, 5); k > 0; k--) w += pick(rnd, SYLLABLES);
  return w;
}

function sentence(rnd) {
  const n = int(rnd, 6, 24);
  const words = Array.from({ length: n }, () => (rnd() < 0.1 ? madeUpWord(rnd) : pick(rnd, WORDS)));
  if (n > 12 && rnd() < 0.5) words[int(rnd, 3, n - 4)] += ',';
  const s = words.join(' ');
  return s[0].toUpperCase() + s.slice(1) + (rnd() < 0.1 ? '?' : '.');
}

function paragraph(rnd, words) {
  const out = [];
  let count = 0;
  while (count < words) {
    const s = sentence(rnd);
    out.push(s);
    count += s.split(' ').length;
  }
  return out.join(' ');
}

/** Words of body text: one paragraph in five letters, else up to about four pages. */
function bodyParagraphs(rnd) {
  if (rnd() < 0.2) return [paragraph(rnd, int(rnd, 40, 140))];
  const total = int(rnd, 200, 1750);
  const out = [];
  for (let left = total; left > 0;) {
    const n = Math.min(left, int(rnd, 60, 260));
    out.push(paragraph(rnd, n));
    left -= n;
  }
  return out;
}

const personName = (rnd) => `${pick(rnd, GIVEN)} ${pick(rnd, FAMILY)}`;

/** Letter `index` of the corpus made with `seed`: its id, source text and metadata. */
export function syntheticLetter(seed, index) {
  const rnd = random(Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b));
  const id = `synthetic-${String(index + 1).padStart(5, '0')}`;
  const year = int(rnd, 1995, 2025);
  const month = int(rnd, 1, 12);
  const day = int(rnd, 1, 28);
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const place = pick(rnd, PLACES);
  const author = { name: personName(rnd), titles: [pick(rnd, TITLES)] };
  const rtl = rnd() < 0.2;
  const honorific = rnd() < 0.7 ? pick(rnd, HONORIFICS) : undefined;
  const recipient = {
    ...(honorific ? { honorific } : {}),
    name: rtl ? pick(rnd, RTL_NAMES) : personName(rnd),
    title: pick(rnd, TITLES),
    organisation: pick(rnd, ORGANISATIONS),
  };
  const salutation = rtl
    ? 'Dear colleague,'
    : `Dear ${honorific ? `${honorific} ${recipient.name.split(' ').at(-1)}` : recipient.name},`;
  const body = bodyParagraphs(rnd);
  const source = [
    `${place}, ${day} ${MONTHS[month - 1]} ${year}`,
    salutation,
    ...body,
    pick(rnd, CLOSES),
    [author.name, ...author.titles].join('\n'),
    [
      honorific ? `${honorific} ${recipient.name}` : recipient.name,
      recipient.title,
      recipient.organisation,
    ].join('\n'),
  ].join('\n\n');
  const metadata = {
    id,
    type: 'letter',
    title: `Synthetic test letter ${index + 1} from ${author.name} to ${recipient.name} (test data)`,
    date,
    place,
    language: 'en',
    author,
    recipient,
    keywords: ['synthetic', 'test data'],
    testData: { generator: GENERATOR, seed, index },
  };
  const nfc = (s) => s.normalize('NFC');
  return {
    id,
    source: nfc(source + '\n'),
    metadata: nfc(JSON.stringify(metadata, null, 2) + '\n'),
  };
}

/** Writes letters 0..n-1 of the corpus `seed` into `dir`/<id>/; returns their ids. */
export function writeCorpus(n, dir, seed = 1) {
  const ids = [];
  for (let i = 0; i < n; i++) {
    const { id, source, metadata } = syntheticLetter(seed, i);
    mkdirSync(path.join(dir, id), { recursive: true });
    writeFileSync(path.join(dir, id, 'source.txt'), source);
    writeFileSync(path.join(dir, id, 'metadata.json'), metadata);
    ids.push(id);
  }
  return ids;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fail = (message, hint) => {
    console.error(`docprov: error: ${message}`);
    console.error(`docprov: hint: ${hint}`);
    process.exit(2);
  };
  const args = process.argv.slice(2);
  const at = args.indexOf('--seed');
  const seed = at === -1 ? 1 : Number(args.splice(at, 2)[1]);
  const [n, dir, ...rest] = args;
  if (!/^\d+$/.test(n ?? '') || !dir || !Number.isInteger(seed) || rest.length > 0)
    fail(
      `synthetic takes N and DIR (and optionally --seed S)${rest.length ? `, not ${rest.join(' ')}` : ''}`,
      'npm run synthetic -- 100 /tmp/corpus',
    );
  // A corpus goes into a folder of its own: letters of another run would be mixed in silently.
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0))
    fail(
      `${dir} ${statSync(dir).isDirectory() ? 'is not empty' : 'is not a folder'}`,
      'give a new or empty folder: a corpus is written whole, never over another',
    );
  try {
    writeCorpus(Number(n), dir, seed);
  } catch (e) {
    fail(`cannot write the corpus into ${dir}: ${e.message}`, 'give a folder you can write to');
  }
  console.log(`synthetic: ${n} test letters (seed ${seed}) in ${dir}`);
}
