import { Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { getJson } from '../api';

const CITY = '150100000000';

interface Division { code: string; name: string; children?: Division[] }
export interface DivisionChoice { district?: string; street?: string; community?: string }

/** The deepest division chosen, or undefined for the whole city. */
export function deepestOf(choice: DivisionChoice): string | undefined {
  return choice.community ?? choice.street ?? choice.district;
}

function useChildren(code: string | undefined): Division[] {
  const [children, setChildren] = useState<Division[]>([]);
  useEffect(() => {
    setChildren([]);
    if (code) getJson<Division>(`/v1/divisions/${code}`).then((d) => setChildren(d.children ?? []), () => setChildren([]));
  }, [code]);
  return children;
}

/** 旗县区 → 街道（乡镇）→ 社区（村）, each list read from /v1/divisions when its parent is chosen. */
export function DivisionPicker({ value, onChange, streets = true }: { value: DivisionChoice; onChange: (v: DivisionChoice) => void; streets?: boolean }) {
  const districts = useChildren(CITY);
  const streetList = useChildren(value.district);
  const communities = useChildren(value.street);
  const options = (list: Division[]) => list.map((d) => ({ value: d.code, label: d.name }));
  const width = { width: 170 };
  return (
    <Space wrap>
      <Select id="district" aria-label="旗县区" placeholder="旗县区（全市）" allowClear showSearch optionFilterProp="label" style={width} options={options(districts)} value={value.district}
        onChange={(district) => onChange({ district })} />
      {streets && (
        <>
          <Select id="street" aria-label="街道（乡镇）" placeholder="街道（全部）" allowClear showSearch optionFilterProp="label" style={width} options={options(streetList)} value={value.street}
            disabled={!value.district} onChange={(street) => onChange({ district: value.district, street })} />
          <Select id="community" aria-label="社区（村）" placeholder="社区（全部）" allowClear style={width} options={options(communities)} value={value.community}
            disabled={!value.street} showSearch optionFilterProp="label" onChange={(community) => onChange({ ...value, community })} />
        </>
      )}
    </Space>
  );
}
