import { describe, expect, it } from 'vitest';
import { classifyServer, parseDataSize, portableType } from '../src/metadata/index.js';

describe('classifyServer', () => {
  it.each([
    ['5.7.99', 'Doris version doris-2.1.7-rc01-443e87e203', 'doris', '2.1.7'],
    ['5.7.99', 'Doris version doris-3.0.3-rc03-43f06a5e26 (Cloud Mode)', 'doris', '3.0.3'],
    ['5.7.99', 'Apache Doris version 1.2.4', 'doris', '1.2.4'],
    ['10.11.6-MariaDB-0+deb12u1', 'Debian 12', 'mariadb', '10.11.6'],
    ['11.4.2-MariaDB', 'mariadb.org binary distribution', 'mariadb', '11.4.2'],
    ['8.0.36', 'MySQL Community Server - GPL', 'mysql', '8.0.36'],
    ['8.4.0-commercial', 'MySQL Enterprise Server - Commercial', 'mysql', '8.4.0'],
  ])('VERSION() %s with comment %s is %s %s', (v, c, kind, version) => {
    expect(classifyServer(v, c)).toEqual({ kind, version });
  });

  it('does not take a 5.7.99 version for Doris without the comment saying so', () => {
    expect(classifyServer('5.7.99', 'MySQL Community Server (GPL)').kind).toBe('mysql');
  });
});

describe('portableType', () => {
  it.each([
    ['decimalv3(10, 2)', 'decimal(10,2)'],
    ['DECIMAL(10,2)', 'decimal(10,2)'],
    ['decimal(27, 9)', 'decimal(27,9)'],
    ['numeric(5,1)', 'decimal(5,1)'],
    ['int(11)', 'int'],
    ['INT', 'int'],
    ['integer', 'int'],
    ['bigint(20) unsigned', 'bigint unsigned'],
    ['bigint(20) unsigned zerofill', 'bigint unsigned'],
    ['decimal(10,2) unsigned', 'decimal(10,2) unsigned'],
    ['tinyint(1)', 'boolean'],
    ['bool', 'boolean'],
    ['tinyint(4)', 'tinyint'],
    ['largeint', 'largeint'],
    ['string', 'string'],
    ['longtext', 'string'],
    ['text', 'string'],
    ['mediumblob', 'blob'],
    ['varchar(64)', 'varchar(64)'],
    ['VARCHAR (64)', 'varchar(64)'],
    ['char(2)', 'char(2)'],
    ['datetimev2(3)', 'datetime(3)'],
    ['datetime(0)', 'datetime'],
    ['datev2', 'date'],
    ['double(10,2)', 'double'],
    ['real', 'double'],
    ['jsonb', 'json'],
    ['array<int(11)>', 'array<int>'],
    ['map<varchar(10), decimalv3(9, 2)>', 'map<varchar(10),decimal(9,2)>'],
    ['struct<a:int(11), b:string>', 'struct<a:int,b:string>'],
    ["enum('a','B, c')", "enum('a','B, c')"],
    ['bitmap', 'bitmap'],
  ])('%s → %s', (input, expected) => {
    expect(portableType(input)).toBe(expected);
  });
});

describe('parseDataSize', () => {
  it.each([
    ['0.000 ', 0],
    ['10.000 B', 10],
    ['1.500 KB', 1536],
    ['1.234 MB', Math.round(1.234 * 1024 ** 2)],
    ['2.000 GB', 2 * 1024 ** 3],
    ['1.000 TB', 1024 ** 4],
    ['3 MiB', 3 * 1024 ** 2],
    ['42', 42],
  ])('%j is %d bytes', (input, bytes) => {
    expect(parseDataSize(input)).toBe(bytes);
  });

  it('returns null for what is not a size', () => {
    expect(parseDataSize('n/a')).toBeNull();
    expect(parseDataSize('')).toBeNull();
    expect(parseDataSize(null)).toBeNull();
    expect(parseDataSize('1.0 XB')).toBeNull();
  });
});
