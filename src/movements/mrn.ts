/**
 * Movement Reference Number as NCTS allocates it: 2-digit year, 2-letter country, 12-character unique
 * part, 1 procedure letter (J: transit declaration only), 1 check character (ISO 6346 weighting).
 */
export const MRN_PATTERN = /^\d{2}[A-Z]{2}[A-Z0-9]{13}\d$/;

const letterValues = (() => {
  const values = new Map<string, number>();
  let value = 10;
  for (let code = 65; code <= 90; code++) {
    if (value % 11 === 0) value++;
    values.set(String.fromCharCode(code), value++);
  }
  return values;
})();

const characterValue = (character: string): number =>
  character >= '0' && character <= '9' ? Number(character) : (letterValues.get(character) ?? Number.NaN);

export const mrnCheckCharacter = (firstSeventeen: string): string => {
  let sum = 0;
  for (let index = 0; index < firstSeventeen.length; index++) {
    sum += characterValue(firstSeventeen[index]!) * 2 ** index;
  }
  return String((sum % 11) % 10);
};

export const isValidMrn = (mrn: string): boolean =>
  MRN_PATTERN.test(mrn) && mrnCheckCharacter(mrn.slice(0, 17)) === mrn[17];

const TRANSIT_PROCEDURE = 'J';

/**
 * The unique part is the departure office's six-digit serial plus a per-office, per-year counter in
 * base 36, so two offices never collide and an office can allocate 2 billion MRNs a year.
 */
export const formatMrn = (year: number, officeCode: string, serial: number): string => {
  const country = officeCode.slice(0, 2).toUpperCase();
  const officePart = officeCode.slice(2).toUpperCase().padStart(6, '0').slice(-6);
  const serialPart = serial.toString(36).toUpperCase().padStart(6, '0');
  if (serialPart.length > 6) throw new RangeError(`MRN serial ${serial} exceeds the 6-character range`);
  const body = `${String(year % 100).padStart(2, '0')}${country}${officePart}${serialPart}${TRANSIT_PROCEDURE}`;
  return body + mrnCheckCharacter(body);
};
