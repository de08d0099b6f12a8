import { loadConfig, PROJECT_ROOT } from './load-config';

describe('reportSchedules', () => {
  it('has none by default, and reads them from QC_REPORT_SCHEDULES with folders under the project', () => {
    expect(loadConfig({}).reportSchedules).toEqual([]);
    const schedule = { report: 'structure', scope: '150105', cron: '0 6 * * 1', folder: 'data/reports' };
    expect(loadConfig({ QC_REPORT_SCHEDULES: JSON.stringify([schedule]) }).reportSchedules).toEqual([{ ...schedule, folder: `${PROJECT_ROOT}/data/reports` }]);
  });

  it('names what is wrong: an unknown report, a bad cron, a format other than xlsx or csv', () => {
    const schedule = { report: 'structure', cron: '0 6 * * 1', folder: 'out' };
    expect(() => loadConfig({ QC_REPORT_SCHEDULES: JSON.stringify([{ ...schedule, report: 'summary' }]) }))
      .toThrow(/reportSchedules\[0\]\.report \(QC_REPORT_SCHEDULES\) = "summary"/);
    expect(() => loadConfig({ QC_REPORT_SCHEDULES: JSON.stringify([{ ...schedule, cron: 'weekly' }]) })).toThrow(/cron must be/);
    expect(() => loadConfig({ QC_REPORT_SCHEDULES: JSON.stringify([{ ...schedule, format: 'pdf' }]) })).toThrow(/reportSchedules\[0\]\.format/);
  });
});
