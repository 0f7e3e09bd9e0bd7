import type { Random } from './random.ts';

const ROOTS = [
  'Nuvem',
  'Solar',
  'Vértice',
  'Aurora',
  'Atlas',
  'Pampa',
  'Andes',
  'Cóndor',
  'Jaguar',
  'Lumen',
  'Nexo',
  'Orbe',
  'Ceiba',
  'Ipê',
  'Maré',
  'Brisa',
  'Quetzal',
  'Tucano',
  'Serra',
  'Ámbar',
  'Faro',
  'Granito',
  'Colibri',
  'Araucária',
  'Bahía',
  'Norte',
  'Cobalto',
  'Índigo',
  'Olmo',
  'Sabiá',
] as const;

const ENGLISH_ADJECTIVES = [
  'Blue',
  'Bright',
  'Silver',
  'North',
  'Quiet',
  'Swift',
  'Golden',
  'Clear',
  'Red',
  'Open',
  'True',
  'Green',
  'Iron',
  'Wild',
  'First',
] as const;

const ENGLISH_NOUNS = [
  'Harbor',
  'Ridge',
  'Fox',
  'Pine',
  'Peak',
  'River',
  'Lantern',
  'Anchor',
  'Meadow',
  'Summit',
  'Forge',
  'Canyon',
  'Orchard',
  'Beacon',
  'Falcon',
] as const;

const SURNAMES = [
  'Silva',
  'Souza',
  'Oliveira',
  'Pereira',
  'Costa',
  'García',
  'Martínez',
  'López',
  'Hernández',
  'Muñoz',
  'Rojas',
  'Fernandes',
  'Araújo',
  'Díaz',
  'Castro',
  'Moreno',
] as const;

const SECTORS = [
  'Logística',
  'Tecnologia',
  'Alimentos',
  'Saúde',
  'Educação',
  'Energía',
  'Soluciones',
  'Digital',
  'Analytics',
  'Labs',
  'Systems',
  'Foods',
  'Transportes',
  'Consultoria',
  'Seguros',
  'Agro',
] as const;

/** A company's legal form follows its country, which is what makes a list of names feel real. */
const LEGAL_FORMS: Record<string, readonly string[]> = {
  BR: ['Ltda', 'S.A.', 'ME'],
  MX: ['S.A. de C.V.', 'S. de R.L.'],
  AR: ['S.R.L.', 'S.A.'],
  CO: ['S.A.S.'],
  CL: ['SpA', 'Ltda.'],
  PT: ['Lda', 'S.A.'],
  ES: ['S.L.', 'S.A.'],
  US: ['Inc.', 'LLC', 'Corp.'],
};

/** Builds plausible, unique company names from the word lists above. */
export class CompanyNamer {
  readonly #used = new Set<string>();

  next(random: Random, country: string): string {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const name = this.#compose(random, country);
      if (!this.#used.has(name)) {
        this.#used.add(name);
        return name;
      }
    }
    // Only reached with thousands of customers: a branch number keeps names unique.
    const base = this.#compose(random, country);
    let n = 2;
    while (this.#used.has(`${base} ${n}`)) n += 1;
    const name = `${base} ${n}`;
    this.#used.add(name);
    return name;
  }

  #compose(random: Random, country: string): string {
    const english = country === 'US';
    const core = random.weighted<() => string>([
      [() => `${random.pick(ROOTS)} ${random.pick(SECTORS)}`, english ? 0.2 : 3],
      [() => `${random.pick(ENGLISH_ADJECTIVES)} ${random.pick(ENGLISH_NOUNS)}`, english ? 3 : 1],
      [() => `${random.pick(SURNAMES)} & ${random.pick(SURNAMES)}`, 1],
      [() => `${random.pick(ROOTS)}${random.pick(['tech', 'data', 'log', 'net', 'soft'])}`, 1],
    ])();
    const forms = LEGAL_FORMS[country] ?? ['Inc.'];
    return random.chance(0.6) ? `${core} ${random.pick(forms)}` : core;
  }
}
