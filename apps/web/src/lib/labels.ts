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

/**
 * A review task in one line of Chinese, by its kind and the names of its sides (the API's summary
 * is English, written for the logs: it stays the line's tooltip).
 */
export function describeTask(task: { kind: string; entityType?: string; summary: string; left?: { name?: string | null }; right?: { name?: string | null } }): string {
  const left = task.left?.name ? `「${task.left.name}」` : '一条记录';
  const right = task.right?.name ? `「${task.right.name}」` : '登记中的另一条记录';
  if (task.kind === 'possible-duplicate') return `${left}与${right}可能是同一人`;
  switch (task.entityType) {
    case 'membership': return `${left}同时登记为两个党组织的在册党员，需确认以哪个为准`;
    case 'organization': return `${left}：记录给出的上级组织与登记的不同，需确认`;
    default: return `${left}与${right}的记录相互矛盾（如身份证号已属另一人，或同名无法区分），需人工判断`;
  }
}

/** A field's value as a person reads it: gender codes in words. */
export function fieldValue(field: string, value: unknown): string {
  if (field === 'gender') return value === 'M' ? '男' : value === 'F' ? '女' : String(value);
  return String(value);
}
