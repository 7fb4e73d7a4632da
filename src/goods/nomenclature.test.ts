import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config.js';
import { loadNomenclature } from './nomenclature.js';

const nomenclature = loadNomenclature(loadConfig().referenceDir);

describe('HS nomenclature', () => {
  it('accepts a known subheading and a national 10-digit code, mapping it to its HS-6', () => {
    const subheading = nomenclature.check('8542.31');
    assert.equal(subheading.ok && subheading.hs6, '854231');
    const national = nomenclature.check('8542319000');
    assert.equal(national.ok && national.hs6, '854231');
  });

  it('names a heading as a heading and refuses unknown subheadings', () => {
    const heading = nomenclature.check('8542');
    assert.equal(heading.ok, false);
    assert.match(!heading.ok ? heading.reason : '', /only a heading/);
    const unknown = nomenclature.check('854299');
    assert.match(!unknown.ok ? unknown.reason : '', /854299 does not exist/);
    assert.match(!unknown.ok ? unknown.reason : '', /heading 8542 has 854231, 854232/, 'names the subheadings the heading does have');
    const letters = nomenclature.check('85A231');
    assert.match(!letters.ok ? letters.reason : '', /digits only/);
  });

  it('tells a declarant using an HS 2017 code which edition it is from and what replaced it', () => {
    const drones = nomenclature.check('8803.30.0000');
    assert.equal(drones.ok, false);
    assert.match(!drones.ok ? drones.reason : '', /880330 is an HS 2017 code .*replaced it with 880730/);
    const leds = nomenclature.check('854140');
    assert.match(!leds.ok ? leds.reason : '', /854141, 854142, 854143, 854149/);
  });
});
