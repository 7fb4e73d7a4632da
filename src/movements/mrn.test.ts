import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMrn, isValidMrn, mrnCheckCharacter } from './mrn.js';

describe('MRN', () => {
  it('computes the check character of real NCTS MRNs (HMRC samples)', () => {
    for (const mrn of ['23GB000246IF9W5YJ0', '23XI000081WJZ6YJJ8', '24XI000081LAQJBTJ2']) {
      assert.equal(mrnCheckCharacter(mrn.slice(0, 17)), mrn[17], mrn);
      assert.equal(isValidMrn(mrn), true);
    }
  });

  it('formats year, country, office, serial and procedure, and the result validates', () => {
    const mrn = formatMrn(2026, 'KZ000101', 46655);
    assert.equal(mrn.slice(0, 16), '26KZ000101000ZZZ');
    assert.equal(mrn[16], 'J');
    assert.equal(mrn.length, 18);
    assert.equal(isValidMrn(mrn), true);
  });

  it('rejects a changed character or a wrong shape', () => {
    assert.equal(isValidMrn('23GB000246IF9W5YJ1'), false);
    assert.equal(isValidMrn('23GB000246IF9W5YJ'), false);
    assert.equal(isValidMrn('23gb000246IF9W5YJ0'), false);
  });

  it('refuses a serial beyond six base-36 characters', () => {
    assert.throws(() => formatMrn(2026, 'KZ000101', 36 ** 6), RangeError);
  });
});
