// The 2021 star standard (seed 001 + seed 000 三) written by hand as one plain function:
// the baseline of `pnpm bench`, and an independent implementation the runtime is compared
// with in test/bench/star-handwritten.test.ts. Notice-specific on purpose: it lives in test/.
type Data = Record<string, Record<string, unknown> | undefined>;

const MANUF = '生产制造类';
const SERVICE = '生产性服务类等其他类';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const ge = (v: unknown, t: number): boolean => {
  const n = num(v);
  return n !== undefined && Number((n - t).toPrecision(15)) >= 0;
};
const has = (arr: unknown, x: string): boolean => Array.isArray(arr) && arr.includes(x);
const hasAll = (arr: unknown, xs: string[]): boolean => Array.isArray(arr) && xs.every((x) => arr.includes(x));
const round = (x: number, d: number) => (Math.abs(x) >= 1e15 ? x : Math.round(Number((x * 10 ** d).toPrecision(15))) / 10 ** d);

/** The star level (0 = none) a submission reaches, cumulative over levels 1..5. */
export function starLevelByHand(d: Data, avgTaxPerMu: number): number {
  const b = d.basic ?? {};
  const a = d.area ?? {};
  const e = d.enterprises ?? {};
  const ec = d.economy ?? {};
  const sv = d.services ?? {};
  const type = b.parkType;
  const grade = b.performanceGrade;
  const land = num(a.land);
  const tax = num(ec.tax);
  const total = num(e.total);
  const leading = num(e.leadingRelated);
  const ratio = land && tax !== undefined ? round(tax / land / avgTaxPerMu, 4) : undefined;
  const concentration = total && leading !== undefined ? round((leading * 100) / total, 2) : undefined;
  const fnCount = Array.isArray(sv.serviceFunctions) ? sv.serviceFunctions.length : 0;
  const op = typeof b.operationDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(b.operationDate) ? b.operationDate : undefined;
  const pre2019 = op !== undefined && op <= '2018-12-31';
  const ops = d.operations?.items;
  const infra = d.facilities?.infrastructure;
  const amen = d.facilities?.amenities;
  const feat = d.industry?.features;
  const com = sv.commitments;
  const dig = d.digital?.items;

  const size = (landT: number, builtT: number, serviceT: number): boolean =>
    type === MANUF ? ge(a.land, landT) || ge(a.built, builtT) : type === SERVICE ? ge(a.built, serviceT) : true;
  const firms = (m: number, s: number): boolean => (type === MANUF ? ge(total, m) : type === SERVICE ? ge(total, s) : true);
  const ops12 =
    (has(ops, 'agency') || has(ops, 'independentAgency')) &&
    hasAll(ops, ['rules', 'staff', 'standardized', 'complaints']) &&
    (has(ops, 'emergencyPlan') || has(ops, 'emergencyPlanComplete'));
  const ops45 = hasAll(ops, ['independentAgency', 'soundRules', 'serviceProcessComplete', 'feeStandard', 'qualityAssurance', 'serviceLedger', 'developmentPlan', 'complaintDept', 'emergencyDept']);
  const infraBasic = hasAll(infra, ['fire', 'safety', 'environment', 'telecom', 'network']);
  const infraFull = hasAll(infra, ['fire', 'safety', 'environment', 'storage', 'logistics', 'power', 'water', 'heating', 'gas', 'telecom', 'network']);
  const amenBasic = hasAll(amen, ['business', 'office', 'dormitory', 'catering']);
  const com4 = hasAll(com, ['ladderPlan', 'onlineOffline', 'ladderEffective', 'talent', 'institutions', 'provincialNetwork']);

  const level = [
    // 1★
    () =>
      (grade === 'A' || grade === 'B' || grade === 'C') &&
      size(20, 20000, 10000) &&
      firms(10, 20) &&
      ge(concentration, 50) && has(feat, 'agglomeration') &&
      ops12 &&
      infraBasic && amenBasic &&
      fnCount >= 2 && has(com, 'ladderPlan') &&
      (has(dig, 'basic') || has(dig, 'initial')),
    // 2★
    () =>
      (grade === 'A' || grade === 'B' || grade === 'C') &&
      size(20, 20000, 10000) &&
      firms(10, 20) &&
      ge(concentration, 50) && has(feat, 'agglomeration') &&
      ops12 &&
      infraBasic && amenBasic &&
      fnCount >= 3 && has(com, 'ladderPlan') &&
      has(dig, 'initial'),
    // 3★
    () =>
      (grade === 'A' || grade === 'B') &&
      size(50, 50000, 20000) &&
      firms(20, 40) &&
      ge(concentration, 60) && has(feat, 'agglomeration') &&
      (has(ops, 'agency') || has(ops, 'independentAgency')) &&
      hasAll(ops, ['soundRules', 'feeStandard', 'qualityAssurance', 'complaints', 'emergencyPlanComplete']) &&
      (has(ops, 'serviceProcess') || has(ops, 'serviceProcessComplete')) &&
      infraBasic && hasAll(amen, ['business', 'office', 'storage', 'logistics', 'dormitory', 'catering']) &&
      fnCount >= 5 && hasAll(com, ['welfare', 'ladderPlan']) &&
      (has(dig, 'dept') || has(dig, 'agency')) && has(dig, 'itMeans'),
    // 4★ (with the relaxation for manufacturing parks built by the end of 2018)
    () =>
      grade === 'A' &&
      ge(b.currentStar, 3) &&
      (type === MANUF
        ? ge(a.land, 100) || ge(a.built, 100000) ||
          (pre2019 && ge(ratio, 1.5) && (ge(a.land, 80) || ge(a.built, 80000))) ||
          (pre2019 && ge(ratio, 2) && (ge(a.land, 60) || ge(a.built, 60000)))
        : size(100, 100000, 50000)) &&
      (type === MANUF ? ge(total, 50) || (pre2019 && ge(ratio, 1.5) && ge(total, 30)) : firms(50, 80)) &&
      ge(concentration, 70) && has(feat, 'targets') &&
      ops45 &&
      infraFull && amenBasic && d.facilities?.propertyManagement === true &&
      fnCount >= 8 && com4 &&
      (has(com, 'featured') || has(com, 'featuredStrong')) &&
      (has(com, 'demoPlatform') || has(com, 'demoPlatformStrong')) &&
      ge(sv.welfareCoverage, 100) &&
      has(dig, 'agency') && (has(dig, 'infra') || has(dig, 'infraComplete')) &&
      (has(dig, 'platforms') || has(dig, 'platformsEffective')) &&
      (has(dig, 'provincialAdvanced') || has(dig, 'nationalAdvanced')),
    // 5★
    () =>
      grade === 'A' &&
      ge(b.currentStar, 4) &&
      size(100, 100000, 50000) &&
      firms(50, 80) &&
      ge(concentration, 80) && has(feat, 'distinctive') &&
      ops45 && has(ops, 'qualitySystem') &&
      infraFull && amenBasic && d.facilities?.propertyManagement === true &&
      hasAll(sv.serviceFunctions, ['policy', 'government', 'financing', 'innovation', 'recruitment', 'experts', 'startup', 'training']) &&
      hasAll(com, ['ladderPlan', 'onlineOffline', 'ladderEffective', 'talent', 'institutions', 'provincialNetwork', 'featuredStrong', 'demoPlatformStrong']) &&
      ge(sv.welfareCoverage, 100) &&
      hasAll(dig, ['agency', 'infraComplete', 'platformsEffective', 'fullCoverage', 'nationalAdvanced']),
  ];
  let reached = 0;
  for (const holds of level) {
    if (!holds()) break;
    reached++;
  }
  return reached;
}
