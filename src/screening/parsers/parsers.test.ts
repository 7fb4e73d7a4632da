import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DomainError } from '../../shared/errors.js';
import { detectFormat, loadListFile } from '../list-files.js';
import { testReferenceDir } from '../test-support.js';
import { parseNationalCsv } from './national-csv.js';
import { parseOfacCsv, parseOfacRemarks } from './ofac-csv.js';
import { parseUnXml } from './un-xml.js';

const sanctions = path.join(testReferenceDir(), 'sanctions');
const shared = (p: string) => path.join(sanctions, p);
const tmp = () => mkdtempSync(path.join(tmpdir(), 'caravan-lists-'));

describe('OFAC legacy CSV', () => {
  it('reads the 2024 SDN file with its Ctrl-Z line and -0- empties', () => {
    const list = loadListFile(shared('ofac/sdn_2024/sdn_2024-05-03.csv.gz'));
    assert.equal(list.format, 'ofac-csv');
    assert.equal(list.entities.length, 14965);
    const putin = list.entities.find((e) => e.sourceRef === '35096');
    assert.equal(putin?.schema, 'Person');
    assert.deepEqual(putin?.birthDates, ['1952-10-07']);
    assert.ok(putin?.countries.includes('ru'));
    assert.deepEqual(putin?.programs, ['RUSSIA-EO14024']);
    assert.ok(list.entities.every((e) => e.names.every((n) => n.name !== '-0-')));
  });
  it('joins alt, add and comments from beside sdn.csv', () => {
    const list = loadListFile(shared('ofac/full_2021-07-07/sdn.csv.gz'));
    assert.equal(list.entities.length, 8976);
    assert.ok(list.entities.reduce((n, e) => n + e.names.length - 1, 0) > 11000);
  });
  it('reads the non-SDN consolidated set as its own source', () => {
    const list = loadListFile(shared('ofac/non_sdn_2025-12-19/cons_prim.csv'));
    assert.equal(list.source, 'ofac-cons');
    assert.equal(list.entities.length, 442);
  });
  it('pulls identifiers and dates out of remarks', () => {
    const facts = parseOfacRemarks('DOB 07 Oct 1952; nationality Russia; Passport 123456789 (Russia); Tax ID No. 7744001497 (Russia); IMO 9187629.');
    assert.deepEqual(facts.birthDates, ['1952-10-07']);
    assert.deepEqual(facts.countries, ['ru']);
    assert.deepEqual(facts.identifiers.map((i) => `${i.type}:${i.value}`), ['passport:123456789', 'tax:7744001497', 'imo:9187629']);
  });
  it('rejects bad rows one by one and a file of nothing but bad rows as a whole', () => {
    const good = '1,"IVANOV, Ivan","individual","RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n';
    const list = parseOfacCsv({ main: `${good}x,"bad"\n2\n\u001a` }, 'ofac-sdn');
    assert.equal(list.entities.length, 1);
    assert.equal(list.rejected.length, 2);
    assert.throws(() => parseOfacCsv({ main: 'a,b,c,d\n' }, 'ofac-sdn'), DomainError);
  });
});

describe('UN consolidated XML', () => {
  it('reads individuals and entities with aliases and original-script names', () => {
    const list = loadListFile(shared('un/UN_consolidated_2026-02-27.xml.gz'));
    assert.equal(list.format, 'un-xml');
    assert.equal(list.entities.filter((e) => e.schema === 'Person').length, 730);
    assert.equal(list.entities.filter((e) => e.schema === 'Organization').length, 273);
    assert.ok(list.entities.some((e) => e.names.some((n) => n.kind === 'original')));
    assert.equal(list.publishedAt, '2026-02-27T00:00:09.554Z');
  });
  it('refuses truncated XML and DOCTYPEs with a clear error', () => {
    assert.throws(() => parseUnXml('<?xml version="1.0"?><CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>', 'un-sc'), /not well-formed/);
    assert.throws(() => parseUnXml('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><CONSOLIDATED_LIST/>', 'un-sc'), /DOCTYPE/);
  });
});

describe('EU Official Journal CSV', () => {
  it('reads records with Cyrillic aliases and identifiers', () => {
    const list = loadListFile(shared('eu/oj_consolidated/32014R0833.csv.gz'));
    assert.equal(list.format, 'eu-csv');
    const elem = list.entities.find((e) => e.names.some((n) => n.name.includes('ЭЛЕМ')));
    assert.ok(elem);
    assert.ok(new Set(list.entities.map((e) => e.id)).size === list.entities.length);
  });
  it('reads a header-only annex as an empty list', () => {
    assert.equal(loadListFile(shared('eu/oj_consolidated/32004R0314.csv.gz')).entities.length, 0);
  });
});

describe('OpenSanctions FtM JSON lines', () => {
  it('keeps people and companies, skips sanctions and ownerships', () => {
    const list = loadListFile(shared('opensanctions_fixtures/zala_entities.ftm.jsonl'));
    assert.equal(list.format, 'ftm-jsonl');
    assert.ok(list.entities.length > 0 && list.entities.length < 91);
    assert.ok(list.entities.some((e) => e.identifiers.some((i) => i.type === 'inn')));
  });
});

describe('national CSV and file handling', () => {
  const csv = 'id,schema,name,aliases,birth_date,country,identifiers,program,listed_on\n' +
    'KZ-1,organization,ТОО Пример,Primer LLP;Primer,,kz,bin:123456789012,KZ-EXPORT,2024-01-15\n' +
    'KZ-2,robot,Bad Row,,,,,,\n';
  it('reads the documented columns and rejects bad rows', () => {
    const list = parseNationalCsv(csv, 'national');
    assert.equal(list.entities.length, 1);
    assert.deepEqual(list.entities[0]?.identifiers, [{ type: 'bin', value: '123456789012' }]);
    assert.match(list.rejected[0]?.reason ?? '', /schema/);
  });
  it('detects formats and reads gzip', () => {
    const dir = tmp();
    const file = path.join(dir, 'kz.csv.gz');
    writeFileSync(file, gzipSync(csv));
    assert.equal(loadListFile(file).format, 'national-csv');
    assert.equal(detectFormat('{"id": "x"}'), 'ftm-jsonl');
    assert.equal(detectFormat('hello'), null);
  });
  it('names the file for bad encoding, damaged gzip and unknown formats', () => {
    const dir = tmp();
    const latin1 = path.join(dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.from([0x69, 0x64, 0x2c, 0xe9, 0xff, 0x0a]));
    assert.throws(() => loadListFile(latin1), /not valid UTF-8/);
    const broken = path.join(dir, 'broken.gz');
    writeFileSync(broken, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]));
    assert.throws(() => loadListFile(broken), /damaged gzip/);
    const unknown = path.join(dir, 'x.txt');
    writeFileSync(unknown, 'just text\n');
    assert.throws(() => loadListFile(unknown), /--format/);
    assert.throws(() => loadListFile(path.join(dir, 'missing.csv')), /does not exist/);
  });
});
