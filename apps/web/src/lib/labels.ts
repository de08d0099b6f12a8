/** Field and evidence names of the API in the words of the forms. */
export const FIELD_LABELS: Record<string, string> = {
  name: '姓名', gender: '性别', birthDate: '出生日期', birthPrecision: '出生日期精度', idNumber: '身份证号', idEvidence: '身份证号证据', phone: '联系电话',
  residence: '现居住地', workplace: '工作单位', joinDate: '入党日期', organization: '所在党组织', shortName: '简称', formalName: '全称', type: '类型',
  divisionCode: '区划代码', parentId: '上级组织',
};

export const LEVEL_LABELS: Record<string, string> = {
  exact: '完全一致', phonetic: '读音相同', similar: '相似', differ: '不同', agree: '一致', prefix: '可见数字一致', near: '差一处录入错误', far: '相差较多',
  month: '同年同月', year: '同年', building: '同一楼栋', same: '同一组织', community: '同一社区', missing: '缺失',
};

export const KIND_LABELS: Record<string, string> = {
  'possible-duplicate': '疑似重复', conflict: '冲突', membership: '组织关系',
};

export const REVIEW_STATUS_LABELS: Record<string, string> = {
  open: '待审核', merged: '已合并', 'kept-apart': '保持分开', resolved: '已处理', withdrawn: '已撤回',
};

export function labelOf(labels: Record<string, string>, key: string | null | undefined): string {
  return key ? labels[key] ?? key : '—';
}

const SAME_PERSON = /^(.+) may be the same person as (.+) \(score [\d.]+\)$/;

/** A review task in one line of Chinese (the API's summary is written in English for the logs). */
export function describeTask(task: { summary: string; left?: { name?: string }; right?: { name?: string } }): string {
  const same = SAME_PERSON.exec(task.summary);
  const [left, right] = [task.left?.name ?? same?.[1], task.right?.name ?? same?.[2]];
  return same && left && right ? `「${left}」与「${right}」可能是同一人` : task.summary;
}

/** A field's value as a person reads it: gender codes in words. */
export function fieldValue(field: string, value: unknown): string {
  if (field === 'gender') return value === 'M' ? '男' : value === 'F' ? '女' : String(value);
  return String(value);
}
