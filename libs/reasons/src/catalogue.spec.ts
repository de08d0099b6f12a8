import { because, Reason, ReasonCode, reasonInChinese, ReasonParams, REASONS, reasonText, storedInChinese, toStored } from './catalogue';

/** Parameters for every code: a code added to the catalogue without an example here does not compile. */
const EXAMPLES: { [C in ReasonCode]: ReasonParams<C> } = {
  'empty-cell': {}, 'unexpected-cell': { kind: 'boolean true' }, 'credit-code-length': { length: 17 }, 'credit-code-character': { character: 'I' },
  'date-object-invalid': {}, 'not-a-date': { value: '85.3' }, 'excel-serial-60': {}, 'date-unrecognised': { value: '去年' }, 'year-out-of-range': { year: 1700 },
  'date-nonexistent': { problem: '1985-02-30 does not exist' }, 'phone-empty': {}, 'phone-not-digits': {}, 'phone-length': { digits: 10 },
  'building-unrecognised': { value: '某楼' }, 'id-format': { length: 12 }, 'id-not-integer': { value: 1.5 }, 'id-digit-count': { digits: 17 }, 'id-15-truncated': {},
  'id-masked-format': { length: 12 }, 'id-region': { province: '99' }, 'id-birth-year': { year: 1700 }, 'id-birth-date': { problem: 'month 13 does not exist' },
  'id-birth-future': { date: '2099-01-01' }, 'id-check-character': {}, 'ethnic-unrecognised': { value: '99' }, 'gender-unrecognised': { value: '3' },
  'member-category-unrecognised': { value: '其他' }, 'not-a-count': { value: '很多' }, 'not-whole-number': { value: '12.5' }, 'negative-count': { value: '-3' },
  'not-a-percentage': { value: '一半' }, 'not-a-share': { value: -1 }, 'share-above-100': { value: 120 },
  'division-code-not-digits': { input: '15a' }, 'division-code-length': { input: '15010' }, 'division-outside-hohhot': { code: '110101001001' },
  'division-not-community': { code: '150102', level: 'district' }, 'division-unlisted': { code: '150102999999', parent: '150102999' },
  'name-missing': {}, 'company-name-missing': {}, 'compound-name-missing': {}, 'compound-missing': {}, 'organization-name-missing': {}, 'organization-id-missing': {},
  'organization-no-name': {}, 'householder-missing': {}, 'built-year-invalid': { value: '很久以前' }, 'compound-unnamed': { name: '小区' },
  'organization-unnamed': { name: '党支部' }, 'grid-number-unreadable': { value: '网格' }, 'person-unidentified': {},
  'role-holder-unknown': { role: 'the secretary (书记) of 某支部', name: '张三' }, 'role-holder-ambiguous': { role: 'the building lead (楼栋长) of 某小区1号楼', name: '张三', persons: 2 },
  'id-held-under-other-name': { holder: '李四', name: '张三' }, 'record-invalid': { constraints: ['households must not be less than 0'] },
  'undecodable-bytes': { column: '姓名' }, 'community-not-named': {}, 'community-not-in-address': { address: '新华大街1号' }, 'community-unknown': { name: '某社区' },
  'community-ambiguous': { name: '光明社区', codes: ['150102001001', '150103002001'] }, blank: {}, subtotal: {}, 'repeated-header': {}, note: {},
  'sheet-hidden': { sheet: '下拉' }, 'sheet-empty': { sheet: 'Sheet3' }, 'sheet-without-header': { where: 'sheet 说明', rows: 30 },
  'sheet-instructions': { where: 'sheet 填表说明', considered: '网格 (grid) 0.20' }, 'sheet-unknown-kind': { where: 'sheet 杂项', headers: ['甲', '乙'], considered: '网格 (grid) 0.20' },
  'header-not-found': { where: 'sheet 杂项', rows: 30 },
  'required-column-missing': { where: 'sheet 楼栋情况', missing: ['楼栋号 (buildingNo)'], kind: 'building', label: '楼栋', headerRows: 'row 2', headers: ['小区', '单元数'] },
  'sheet-ambiguous-kind': {
    where: 'sheet 户', first: '党员中心户', firstKind: 'central-household', firstScore: '0.71', second: '楼栋', secondKind: 'building', secondScore: '0.70',
    margin: '0.01', needs: '0.05', headers: ['户主名字', '联系手机'],
  },
  'source-column-missing': { where: 'a.xlsx, sheet 网格', missing: ['社区 (community) or 网格编号 (gridCode)'], label: '网格', headers: ['网格名称'] },
  'kind-not-importable': { where: 'a.xlsx, sheet 网格', kind: 'grid', label: '网格' },
  'file-without-rows': { file: 'a.csv' },
  'file-sheet-refused': { file: 'a.csv', sheet: { code: 'header-not-found', params: { where: 'file', rows: 30 } } },
  'file-without-records': { file: 'a.xlsx', sheets: [{ code: 'sheet-empty', params: { sheet: 'Sheet1' } }, { code: 'sheet-hidden', params: { sheet: '下拉' } }] },
  'file-unreadable': { message: 'binary workbooks (.xlsb) are not supported; re-save as .xlsx' },
  'column-unknown': { label: '党员花名册' }, 'column-unknown-values': { label: '党员花名册' }, 'column-left-out': { field: 'phone', fieldLabel: '联系电话' },
  'column-taken-elsewhere': { field: 'phone', fieldLabel: '联系电话', taker: '手机号' }, 'column-weak': { field: 'phone', fieldLabel: '联系电话', score: '0.41' },
  'column-ambiguous': { column: '列5', field: 'phone', fieldLabel: '联系电话', rival: 'idNumber', rivalLabel: '公民身份号码' },
  'key-columns-missing': { fields: ['公民身份号码 (idNumber)', '联系电话 (phone)'], label: '党员花名册' },
};
const examples = (Object.keys(REASONS) as ReasonCode[]).map((code) => ({ code, params: EXAMPLES[code] }) as Reason);

describe('the reason catalogue', () => {
  it.each(examples.map((r) => [r.code, r]))('says %s in English and in Chinese', (_code, reason) => {
    expect(reasonText(reason).trim()).not.toBe('');
    expect(reasonInChinese(reason)).toMatch(/[\u4e00-\u9fff]/);
  });

  it('keeps the English the API and its clients already know', () => {
    expect(reasonText(because('name-missing'))).toBe('the name is missing');
    expect(reasonText(because('id-digit-count', { digits: 17 }))).toBe('身份证号位数不对 (17 digits)');
    expect(reasonText(because('community-unknown', { name: '光明社区' }))).toBe('no community named 光明社区 is known (import the civil-affairs basics, S6, first)');
    expect(reasonText(because('required-column-missing', { ...EXAMPLES['required-column-missing'], considered: '楼栋 (building) 0.70, lacks 楼栋号 (buildingNo)' })))
      .toBe('sheet 楼栋情况: cannot find the required column 楼栋号 (buildingNo) for 楼栋 (building); headers seen on row 2: 小区, 单元数; kinds considered: 楼栋 (building) 0.70, lacks 楼栋号 (buildingNo)');
  });

  it('says a reason in Chinese without the details that would split it into many report lines', () => {
    const says = (values: Reason[]) => new Set(values.map(reasonInChinese));
    expect(says([because('id-digit-count', { digits: 17 }), because('id-digit-count', { digits: 16 })])).toEqual(new Set(['身份证号位数不对']));
    expect(says([because('not-a-count', { value: '很多' }), because('not-a-count', { value: '若干' })])).toEqual(new Set(['不是数量']));
    expect(reasonInChinese(because('required-column-missing', EXAMPLES['required-column-missing']))).toBe('缺少楼栋必需的列：楼栋号；表头为：小区、单元数');
    expect(reasonInChinese(because('key-columns-missing', EXAMPLES['key-columns-missing']))).toBe('缺少党员花名册通常有的列：公民身份号码、联系电话');
  });

  it('says a file refused for its sheets by the sheets\' own reasons', () => {
    const refused = because('file-without-records', EXAMPLES['file-without-records']);
    expect(reasonText(refused)).toBe('a.xlsx: no sheet holds records the registry can read: sheet Sheet1 holds no records: it is empty; sheet 下拉 holds no records: it is hidden: a hidden sheet holds lookups or drafts, not records to import');
    expect(reasonInChinese(refused)).toBe('没有一个工作表含有登记册能读取的记录：空工作表；隐藏的工作表，存放下拉选项或草稿，不是待导入的记录');
    expect(reasonText(because('file-sheet-refused', EXAMPLES['file-sheet-refused']))).toMatch(/^a\.csv, file: no header row found/);
  });

  it('stores a reason as its English, code and parameters, and says a stored one in Chinese from its code', () => {
    const stored = toStored(because('phone-length', { digits: 10 }));
    expect(stored).toEqual({ reason: '电话号码位数或格式不对 (not a mobile or landline number: 10 digits)', reasonCode: 'phone-length', reasonParams: { digits: 10 } });
    expect(storedInChinese(JSON.parse(JSON.stringify(stored)))).toBe('电话号码位数或格式不对');
  });

  it('says a reason stored before codes, or with a code it does not know, in its stored English', () => {
    expect(storedInChinese({ reason: 'the name is missing', reasonCode: null, reasonParams: null })).toBe('the name is missing');
    expect(storedInChinese({ reason: 'something new' })).toBe('something new');
    expect(storedInChinese({ reason: 'x', reasonCode: 'no-such-code', reasonParams: {} })).toBe('x');
  });
});
