import { combineLevels, compareResidence, PairLevels, MatchWeights, nameLevelBySimilarity, PairComparison, PersonEvidence, scorePair, ScoredPair } from '@qc/matching';
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
  const weightRows = Object.entries(weights.fields).flatMap(([field, levels]) => Object.entries(levels).map(([level, p]) => ({ field, level, weight: Math.log2(p.m / p.u) })));
  const n = candidates.parameters.length;
  const $ = (k: number) => `$${n + k}`;
  const parameters = [
    ...candidates.parameters,
    claims.map((c) => c.slot), e.map((x) => x.nameKey), e.map((x) => x.phonetic), e.map((x) => x.gender || null), e.map((x) => x.birthDate || null),
    e.map((x) => x.idHmac || null), e.map((x) => x.idPrefix || null), e.map((x) => x.idDigits || null), e.map((x) => list(x.idNear)), e.map((x) => x.phoneHmac || null),
    e.map((x) => !!x.residenceKey), e.map((x) => list(x.organizationIds)), e.map((x) => list(x.communityCodes)), e.map((x) => list(x.joinDates)),
    weightRows.map((w) => w.field), weightRows.map((w) => w.level), weightRows.map((w) => w.weight),
    reviewAbove === null ? null : reviewAbove - BOUND_SLACK,
  ];
  const rows: SqlPairRow[] = await manager.query(`
    WITH claim AS MATERIALIZED (
      SELECT slot, name_key, phonetic, gender, birth, id_hmac, id_prefix, id_digits, phone, has_residence,
             string_to_array(near, ',') AS near, string_to_array(orgs, ',') AS orgs, string_to_array(communities, ',') AS communities, string_to_array(joined, ',') AS joined
        FROM unnest(${$(1)}::int[], ${$(2)}::text[], ${$(3)}::text[], ${$(4)}::text[], ${$(5)}::text[], ${$(6)}::text[], ${$(7)}::text[], ${$(8)}::text[], ${$(9)}::text[],
                    ${$(10)}::text[], ${$(11)}::bool[], ${$(12)}::text[], ${$(13)}::text[], ${$(14)}::text[])
             AS c(slot, name_key, phonetic, gender, birth, id_hmac, id_prefix, id_digits, near, phone, has_residence, orgs, communities, joined)),
    w AS (SELECT * FROM unnest(${$(15)}::text[], ${$(16)}::text[], ${$(17)}::float8[]) AS w(field, level, weight)),
    found AS (${candidates.sql}),
    -- A registry person's evidence as personEvidenceOf reads it from the row.
    person_ev AS MATERIALIZED (
      SELECT p.id, p.name, nullif(p.residence, '') AS residence, p.name_key, p.name_pinyin, nullif(p.gender::text, '') AS gender,
             CASE p.birth_precision WHEN 'year' THEN to_char(p.birth_date, 'YYYY') WHEN 'month' THEN to_char(p.birth_date, 'YYYY-MM') ELSE to_char(p.birth_date, 'YYYY-MM-DD') END AS birth,
             nullif(p.id_number_hmac::text, '') AS id_hmac,
             nullif(CASE WHEN nullif(p.id_number_masked, '') IS NOT NULL THEN left(p.id_number_masked, 6) || coalesce(to_char(p.birth_date, 'YYYYMMDD'), '')
                         WHEN p.id_evidence ->> 'kind' IS DISTINCT FROM 'mistyped' THEN p.id_evidence ->> 'prefix' END, '') AS id_prefix,
             nullif(p.id_digits::text, '') AS id_digits, nullif(p.phone_hmac::text, '') AS phone,
             CASE WHEN jsonb_typeof(p.id_evidence -> 'near') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(p.id_evidence -> 'near')) ELSE '{}' END AS near
        FROM person p WHERE p.id IN (SELECT id FROM found)),
    -- Pairs sharing a blocking key (blockingKeys): each key is an equi-join; h: is a valid ID or a mistyped one's near misses.
    claim_h AS (SELECT c.slot, h FROM claim c, unnest(array_append(c.near, c.id_hmac)) AS h WHERE h IS NOT NULL),
    person_h AS (SELECT p.id, h FROM person_ev p, unnest(array_append(p.near, p.id_hmac)) AS h WHERE h IS NOT NULL),
    paired AS (
      SELECT c.slot, p.id FROM claim c JOIN person_ev p ON p.name_key = c.name_key
      UNION SELECT c.slot, p.id FROM claim c JOIN person_ev p ON p.name_pinyin = c.phonetic WHERE c.phonetic <> ''
      UNION SELECT c.slot, p.id FROM claim c JOIN person_ev p ON p.phone = c.phone
      UNION SELECT c.slot, p.id FROM claim c JOIN person_ev p ON p.id_digits = c.id_digits
      UNION SELECT c.slot, p.id FROM claim_h c JOIN person_h p ON p.h = c.h),
    member AS (
      SELECT m.person_id, array_agg(m.organization_id::text) AS orgs, array_remove(array_agg(o.division_code::text), NULL) AS communities,
             array_remove(array_agg(CASE WHEN m.joined_precision = 'day' THEN to_char(m.joined_on, 'YYYY-MM-DD') END), NULL) AS joined
        FROM membership m JOIN party_organization o ON o.id = m.organization_id
       WHERE m.person_id IN (SELECT id FROM paired) GROUP BY m.person_id),
    compared AS (
      SELECT x.slot, p.id, p.name AS person_name, p.residence, c.has_residence AND p.residence IS NOT NULL AS residence_open,
             coalesce(c.id_hmac <> p.id_hmac, false) AS ids_differ, c.id_hmac IS NOT NULL AND p.id_hmac IS NOT NULL AS both_valid,
             CASE WHEN c.name_key = p.name_key THEN 'exact' WHEN c.phonetic <> '' AND c.phonetic = p.name_pinyin THEN 'phonetic' END AS name_level,
             CASE WHEN c.id_prefix IS NULL OR p.id_prefix IS NULL THEN NULL
                  WHEN left(c.id_prefix, least(length(c.id_prefix), length(p.id_prefix))) <> left(p.id_prefix, least(length(c.id_prefix), length(p.id_prefix))) THEN 'conflict'
                  WHEN c.id_digits IS NOT NULL AND p.id_digits IS NOT NULL THEN CASE WHEN c.id_digits = p.id_digits THEN 'agree' ELSE 'conflict' END
                  ELSE 'prefix' END AS id_digits,
             CASE WHEN cardinality(c.near) > 0 THEN
                    CASE WHEN p.id_hmac IS NOT NULL THEN CASE WHEN p.id_hmac = ANY (c.near) THEN 'near' ELSE 'far' END
                         WHEN cardinality(p.near) = 0 THEN NULL
                         WHEN c.near && p.near THEN 'near' ELSE 'far' END
                  WHEN cardinality(p.near) > 0 AND c.id_hmac IS NOT NULL THEN CASE WHEN c.id_hmac = ANY (p.near) THEN 'near' ELSE 'far' END END AS mistyped_id,
             CASE WHEN c.birth IS NULL OR p.birth IS NULL THEN NULL WHEN c.birth = p.birth THEN 'exact'
                  WHEN left(c.birth, least(length(c.birth), length(p.birth))) = left(p.birth, least(length(c.birth), length(p.birth)))
                  THEN CASE WHEN least(length(c.birth), length(p.birth)) >= 7 THEN 'month' ELSE 'year' END
                  ELSE 'differ' END AS birth_date,
             CASE WHEN c.phone IS NOT NULL AND p.phone IS NOT NULL THEN CASE WHEN c.phone = p.phone THEN 'agree' ELSE 'differ' END END AS phone,
             CASE WHEN cardinality(c.joined) > 0 AND cardinality(m.joined) > 0 THEN CASE WHEN c.joined && m.joined THEN 'exact' ELSE 'differ' END END AS join_date,
             CASE WHEN c.gender IS NOT NULL AND p.gender IS NOT NULL THEN CASE WHEN c.gender = p.gender THEN 'agree' ELSE 'differ' END END AS gender,
             CASE WHEN cardinality(c.orgs) + cardinality(c.communities) = 0 OR coalesce(cardinality(m.orgs) + cardinality(m.communities), 0) = 0 THEN NULL
                  WHEN c.orgs && m.orgs THEN 'same' WHEN c.communities && m.communities THEN 'community' ELSE 'differ' END AS organization
        FROM paired x JOIN claim c ON c.slot = x.slot JOIN person_ev p ON p.id = x.id LEFT JOIN member m ON m.person_id = p.id),
    scored AS (
      SELECT v.*, s.settled,
             s.settled + CASE WHEN v.name_level IS NULL THEN greatest(0, (SELECT max(weight) FROM w WHERE field = 'name' AND level IN ('similar', 'differ'))) ELSE 0 END
                       + CASE WHEN v.residence_open THEN greatest(0, (SELECT max(weight) FROM w WHERE field = 'residence')) ELSE 0 END AS bound
        FROM compared v
             CROSS JOIN LATERAL (
               SELECT coalesce(sum(w.weight), 0) AS settled
                 FROM unnest(ARRAY['name', 'idEvidence', 'birthDate', 'phone', 'joinDate', 'gender', 'organization'],
                             ARRAY[v.name_level, CASE WHEN v.id_digits = 'conflict' THEN NULL ELSE coalesce(v.id_digits, v.mistyped_id) END, v.birth_date, v.phone, v.join_date, v.gender, v.organization])
                      AS f(field, level)
                 JOIN w ON w.field = f.field AND w.level = f.level) s)
    SELECT slot, id::text AS "personId", name_level AS "nameLevel", id_digits AS "idDigits", mistyped_id AS "mistypedId", birth_date AS "birthDate", phone,
           join_date AS "joinDate", gender, organization, ids_differ AS "validIdsDiffer",
           CASE WHEN name_level IS NULL THEN person_name END AS "personName", CASE WHEN residence_open THEN residence END AS "personResidence",
           settled AS "settledScore", bound
      FROM scored
     WHERE ${$(18)}::float8 IS NULL
        OR (bound > ${$(18)} AND NOT (ids_differ OR id_digits IS NOT DISTINCT FROM 'conflict' OR both_valid))
     ORDER BY slot, id`, parameters);
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
