import { combineLevels, compareResidence, MatchWeights, nameLevelBySimilarity, PairComparison, PairLevels, PersonEvidence, scorePair, ScoredPair } from '@qc/matching';
import { EntityManager } from 'typeorm';

/**
 * Candidate pairs compared and scored inside PostgreSQL (Fellegi–Sunter, the weights of
 * config/matching.json passed with the statement), so that only the pairs that can matter leave
 * the database instead of every namesake's row.
 *
 * The split: SQL computes every field's level exactly as comparePersons does, except two it cannot
 * do cheaply: the name's 'similar' level (nameSimilarity, when neither the name key nor the pinyin
 * agrees) and the residence (parseAddress of the person's address). For those it adds the best
 * weight the field could still reach, which bounds the score from above; a pair is returned only
 * when that bound can exceed reviewAbove, it carries no veto and the claim could meet the person
 * at all. finishPair then settles the two fields in Node and scores with scorePair, so decisions,
 * scores and review evidence are computed by the same code as before.
 */

/** One claim's evidence as compared: `slot` names it in the rows that come back. */
export interface SlottedEvidence { slot: number; evidence: PersonEvidence }

/** Registry persons to compare with: SQL returning one column `id`, and its parameters (numbered from $1). */
export interface CandidateQuery { sql: string; parameters: unknown[] }

export interface SqlPair {
  slot: number;
  personId: string;
  /** Levels SQL settled; `name` is null when only the similarity of the written names can say. */
  levels: Omit<PairLevels, 'name' | 'residence'> & { name: string | null };
  validIdsDiffer: boolean;
  /** The person's name and address, sent only when finishPair needs them. */
  personName: string | null;
  personResidence: string | null;
  /** Sum of the weights of the levels settled in SQL, and that sum plus the best the two open fields can add. */
  settledScore: number;
  bound: number;
}

// Sums in SQL and in Node add the same doubles in another order: a bound this close to the threshold still counts.
const BOUND_SLACK = 1e-6;

/**
 * The comparisons of the claims with the candidates that share a blocking key with them
 * (blockingKeys), scored in SQL. With `reviewAbove`, only the pairs that can be more than apart: a
 * bound above it, no veto, and not a claim with a valid ID against a person holding one (any other
 * valid ID is someone else). Without it, every pair (to compare with comparePersons).
 */
export async function scorePairsInSql(
  manager: EntityManager, claims: SlottedEvidence[], candidates: CandidateQuery, weights: MatchWeights, reviewAbove: number | null,
): Promise<SqlPair[]> {
  if (claims.length === 0) return [];
  const list = (values: readonly string[]) => values.join(',');
  const e = claims.map((c) => c.evidence);
  // The weights table, as one map `field:level` → log2(m/u), and the best a field left open can still add.
  const weight: Record<string, number> = {};
  for (const [field, levels] of Object.entries(weights.fields)) for (const [level, p] of Object.entries(levels)) weight[`${field}:${level}`] = Math.log2(p.m / p.u);
  const best = (field: string, levels: string[]) => Math.max(0, ...levels.map((level) => weight[`${field}:${level}`] ?? 0));
  const n = candidates.parameters.length;
  const $ = (k: number) => `$${n + k}`;
  const parameters = [
    ...candidates.parameters,
    claims.map((c) => c.slot), e.map((x) => x.nameKey), e.map((x) => x.phonetic), e.map((x) => x.gender || null), e.map((x) => x.birthDate || null),
    e.map((x) => x.idHmac || null), e.map((x) => x.idPrefix || null), e.map((x) => x.idDigits || null), e.map((x) => list(x.idNear)), e.map((x) => x.phoneHmac || null),
    e.map((x) => !!x.residenceKey), e.map((x) => list(x.organizationIds)), e.map((x) => list(x.communityCodes)), e.map((x) => list(x.joinDates)),
    JSON.stringify(weight), best('name', ['similar', 'differ']), best('residence', Object.keys(weights.fields.residence ?? {})),
    reviewAbove === null ? null : reviewAbove - BOUND_SLACK,
  ];
  const w = (field: string, level: string) => `coalesce((${$(15)}::jsonb ->> ('${field}:' || ${level}))::float8, 0)`;
  // Each pair carries both sides' columns from the join that found it, so no join of the (unestimated) pairs back to either side follows.
  const sides = `c.slot, c.name_key, c.phonetic, c.gender, c.birth, c.id_hmac, c.id_prefix, c.id_digits, c.phone, c.has_residence, c.near, c.orgs, c.communities, c.joined,
                 p.p_id, p.p_name, p.p_residence, p.p_name_key, p.p_name_pinyin, p.p_gender, p.p_birth, p.p_id_hmac, p.p_id_prefix, p.p_id_digits, p.p_phone, p.p_near`;
  const sql = `
    WITH claim AS MATERIALIZED (
      SELECT slot, name_key, phonetic, gender, birth, id_hmac, id_prefix, id_digits, phone, has_residence,
             string_to_array(near, ',') AS near, string_to_array(orgs, ',') AS orgs, string_to_array(communities, ',') AS communities, string_to_array(joined, ',') AS joined
        FROM unnest(${$(1)}::int[], ${$(2)}::text[], ${$(3)}::text[], ${$(4)}::text[], ${$(5)}::text[], ${$(6)}::text[], ${$(7)}::text[], ${$(8)}::text[], ${$(9)}::text[],
                    ${$(10)}::text[], ${$(11)}::bool[], ${$(12)}::text[], ${$(13)}::text[], ${$(14)}::text[])
             AS c(slot, name_key, phonetic, gender, birth, id_hmac, id_prefix, id_digits, near, phone, has_residence, orgs, communities, joined)),
    found AS (${candidates.sql}),
    -- A registry person's evidence as personEvidenceOf reads it from the row, read by primary key
    -- (the planner cannot estimate the candidates, and at 1M persons its guess was a scan of the table per chunk).
    person_ev AS MATERIALIZED (
      SELECT e.* FROM found f CROSS JOIN LATERAL (
      SELECT p.id AS p_id, p.name AS p_name, nullif(p.residence, '') AS p_residence, p.name_key AS p_name_key, p.name_pinyin AS p_name_pinyin, nullif(p.gender::text, '') AS p_gender,
             CASE p.birth_precision WHEN 'year' THEN to_char(p.birth_date, 'YYYY') WHEN 'month' THEN to_char(p.birth_date, 'YYYY-MM') ELSE to_char(p.birth_date, 'YYYY-MM-DD') END AS p_birth,
             nullif(p.id_number_hmac::text, '') AS p_id_hmac,
             nullif(CASE WHEN nullif(p.id_number_masked, '') IS NOT NULL THEN left(p.id_number_masked, 6) || coalesce(to_char(p.birth_date, 'YYYYMMDD'), '')
                         WHEN p.id_evidence ->> 'kind' IS DISTINCT FROM 'mistyped' THEN p.id_evidence ->> 'prefix' END, '') AS p_id_prefix,
             nullif(p.id_digits::text, '') AS p_id_digits, nullif(p.phone_hmac::text, '') AS p_phone,
             CASE WHEN jsonb_typeof(p.id_evidence -> 'near') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(p.id_evidence -> 'near')) ELSE '{}' END AS p_near
        FROM person p WHERE p.id = f.id) e),
    -- Pairs sharing a blocking key (blockingKeys): each key is an equi-join; h: is a valid ID or a mistyped one's near misses.
    claim_h AS (SELECT c.*, h FROM claim c, unnest(array_append(c.near, c.id_hmac)) AS h WHERE h IS NOT NULL),
    person_h AS (SELECT p.*, h FROM person_ev p, unnest(array_append(p.p_near, p.p_id_hmac)) AS h WHERE h IS NOT NULL),
    paired AS MATERIALIZED (
      SELECT ${sides} FROM claim c JOIN person_ev p ON p.p_name_key = c.name_key
      UNION SELECT ${sides} FROM claim c JOIN person_ev p ON p.p_name_pinyin = c.phonetic WHERE c.phonetic <> ''
      UNION SELECT ${sides} FROM claim c JOIN person_ev p ON p.p_phone = c.phone
      UNION SELECT ${sides} FROM claim c JOIN person_ev p ON p.p_id_digits = c.id_digits
      UNION SELECT ${sides} FROM claim_h c JOIN person_h p ON p.h = c.h),
    -- Each paired person's memberships (addMemberships), by its index, as person_ev.
    member AS (
      SELECT x.p_id AS person_id, agg.* FROM (SELECT DISTINCT p_id FROM paired) x CROSS JOIN LATERAL (
        SELECT array_agg(m.organization_id::text) AS orgs, array_remove(array_agg(o.division_code::text), NULL) AS communities,
               array_remove(array_agg(CASE WHEN m.joined_precision = 'day' THEN to_char(m.joined_on, 'YYYY-MM-DD') END), NULL) AS joined
          FROM membership m JOIN party_organization o ON o.id = m.organization_id WHERE m.person_id = x.p_id) agg),
    compared AS (
      SELECT x.slot, x.p_id, x.p_name, x.p_residence, x.has_residence AND x.p_residence IS NOT NULL AS residence_open,
             coalesce(x.id_hmac <> x.p_id_hmac, false) AS ids_differ, x.id_hmac IS NOT NULL AND x.p_id_hmac IS NOT NULL AS both_valid,
             CASE WHEN x.name_key = x.p_name_key THEN 'exact' WHEN x.phonetic <> '' AND x.phonetic = x.p_name_pinyin THEN 'phonetic' END AS name_level,
             CASE WHEN x.id_prefix IS NULL OR x.p_id_prefix IS NULL THEN NULL
                  WHEN left(x.id_prefix, least(length(x.id_prefix), length(x.p_id_prefix))) <> left(x.p_id_prefix, least(length(x.id_prefix), length(x.p_id_prefix))) THEN 'conflict'
                  WHEN x.id_digits IS NOT NULL AND x.p_id_digits IS NOT NULL THEN CASE WHEN x.id_digits = x.p_id_digits THEN 'agree' ELSE 'conflict' END
                  ELSE 'prefix' END AS id_digits,
             CASE WHEN cardinality(x.near) > 0 THEN
                    CASE WHEN x.p_id_hmac IS NOT NULL THEN CASE WHEN x.p_id_hmac = ANY (x.near) THEN 'near' ELSE 'far' END
                         WHEN cardinality(x.p_near) = 0 THEN NULL
                         WHEN x.near && x.p_near THEN 'near' ELSE 'far' END
                  WHEN cardinality(x.p_near) > 0 AND x.id_hmac IS NOT NULL THEN CASE WHEN x.id_hmac = ANY (x.p_near) THEN 'near' ELSE 'far' END END AS mistyped_id,
             CASE WHEN x.birth IS NULL OR x.p_birth IS NULL THEN NULL WHEN x.birth = x.p_birth THEN 'exact'
                  WHEN left(x.birth, least(length(x.birth), length(x.p_birth))) = left(x.p_birth, least(length(x.birth), length(x.p_birth)))
                  THEN CASE WHEN least(length(x.birth), length(x.p_birth)) >= 7 THEN 'month' ELSE 'year' END
                  ELSE 'differ' END AS birth_date,
             CASE WHEN x.phone IS NOT NULL AND x.p_phone IS NOT NULL THEN CASE WHEN x.phone = x.p_phone THEN 'agree' ELSE 'differ' END END AS phone,
             CASE WHEN cardinality(x.joined) > 0 AND cardinality(m.joined) > 0 THEN CASE WHEN x.joined && m.joined THEN 'exact' ELSE 'differ' END END AS join_date,
             CASE WHEN x.gender IS NOT NULL AND x.p_gender IS NOT NULL THEN CASE WHEN x.gender = x.p_gender THEN 'agree' ELSE 'differ' END END AS gender,
             CASE WHEN cardinality(x.orgs) + cardinality(x.communities) = 0 OR coalesce(cardinality(m.orgs) + cardinality(m.communities), 0) = 0 THEN NULL
                  WHEN x.orgs && m.orgs THEN 'same' WHEN x.communities && m.communities THEN 'community' ELSE 'differ' END AS organization
        FROM paired x LEFT JOIN member m ON m.person_id = x.p_id),
    scored AS (
      SELECT v.*, ${w('name', 'v.name_level')} + ${w('idEvidence', "CASE WHEN v.id_digits = 'conflict' THEN NULL ELSE coalesce(v.id_digits, v.mistyped_id) END")}
                  + ${w('birthDate', 'v.birth_date')} + ${w('phone', 'v.phone')} + ${w('joinDate', 'v.join_date')} + ${w('gender', 'v.gender')}
                  + ${w('organization', 'v.organization')} AS settled
        FROM compared v)
    SELECT slot, p_id::text AS "personId", name_level AS "nameLevel", id_digits AS "idDigits", mistyped_id AS "mistypedId", birth_date AS "birthDate", phone,
           join_date AS "joinDate", gender, organization, ids_differ AS "validIdsDiffer",
           CASE WHEN name_level IS NULL THEN p_name END AS "personName", CASE WHEN residence_open THEN p_residence END AS "personResidence",
           settled AS "settledScore", bound
      FROM scored, LATERAL (SELECT settled + CASE WHEN name_level IS NULL THEN ${$(16)}::float8 ELSE 0 END + CASE WHEN residence_open THEN ${$(17)}::float8 ELSE 0 END AS bound) b
     WHERE ${$(18)}::float8 IS NULL
        OR (bound > ${$(18)} AND NOT (ids_differ OR id_digits IS NOT DISTINCT FROM 'conflict' OR both_valid))
     ORDER BY slot, p_id`;
  // The planner cannot estimate the pairs (arrays unnested, keys joined), and its guess makes JIT compile the
  // statement: seconds of compilation for milliseconds of work. Off for this statement only (within the transaction).
  const [{ jit }] = await manager.query(`SELECT current_setting('jit') AS jit, set_config('jit', 'off', true)`);
  const rows: SqlPairRow[] = await manager.query(sql, parameters);
  await manager.query(`SELECT set_config('jit', $1, true)`, [jit]);
  return rows.map((r) => ({
    slot: r.slot, personId: r.personId, validIdsDiffer: r.validIdsDiffer, personName: r.personName, personResidence: r.personResidence,
    settledScore: r.settledScore, bound: r.bound,
    levels: { name: r.nameLevel, idDigits: r.idDigits, mistypedId: r.mistypedId, birthDate: r.birthDate, phone: r.phone, joinDate: r.joinDate, gender: r.gender, organization: r.organization },
  }));
}

interface SqlPairRow {
  slot: number; personId: string; nameLevel: string | null; idDigits: PairLevels['idDigits']; mistypedId: PairLevels['mistypedId']; birthDate: string | null;
  phone: string | null; joinDate: string | null; gender: string | null; organization: string | null; validIdsDiffer: boolean;
  personName: string | null; personResidence: string | null; settledScore: number; bound: number;
}

/**
 * Settles in Node what SQL left open (the name's similarity, the residence) and returns the pair's
 * comparison, as comparePersons(claim, person) would have, with its score by scorePair.
 * `residenceKeyOf` parses the person's address (residenceKey).
 */
export function finishPair(pair: SqlPair, claim: PersonEvidence, weights: MatchWeights, residenceKeyOf: (text: string) => string | null): { comparison: PairComparison; scored: ScoredPair } {
  const name = pair.levels.name ?? nameLevelBySimilarity(claim.name, pair.personName ?? '');
  const residence = pair.personResidence === null ? null : compareResidence(claim.residenceKey, residenceKeyOf(pair.personResidence));
  const comparison = combineLevels({ ...pair.levels, name, residence }, pair.validIdsDiffer);
  return { comparison, scored: scorePair(comparison, weights) };
}
