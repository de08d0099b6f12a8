import { BuildingNumber, parseBuildingNumber } from '@qc/naming';
import { because } from '@qc/reasons';
import { Cell, ParseResult, cellText, fail, ok } from './result';

/** A building as the 楼栋号 cell names it; the rule is @qc/naming's parseBuildingNumber. */
export type Building = BuildingNumber;

/** 楼栋号 cell → building key and label, or why it is not a building number. */
export function parseBuilding(cell: Cell): ParseResult<Building> {
  const text = cellText(cell);
  if (!text.ok) return text;
  const building = parseBuildingNumber(text.value);
  return building ? ok(building) : fail(because('building-unrecognised', { value: text.value }));
}
