/**
 * @jest-environment node
 */
// End to end for the 小区评议会 pages (pages/project/appraisal, pages/project/results): the real
// backend (dev mode, a fresh SQLite file, demo data) driven through services/api.js as the pages do —
// the demo's two quarters of 锦华苑 with their projects on the sheet, the community admin returning
// the pending results (the branch's inbox opens the page), the branch resubmitting, the admin
// approving, and a resident reading both quarters published with the raters masked.
//
// Needs the backend's virtualenv (`make install` at the repo root); skipped with a message if absent.
const { createNodeWx } = require('./helpers/node-wx')
const { REPO, PYTHON, HAVE_BACKEND, startBackend } = require('./helpers/backend')
const { pageFor } = require('../utils/links')

if (!HAVE_BACKEND) {
  console.warn(`e2e skipped: ${PYTHON} does not exist — run \`make install\` in ${REPO} first`)
  test.skip(`e2e skipped: ../.venv/bin/python not found (run \`make install\` at the repo root)`, () => {})
} else {
  describe('the 评议会 pages against the real backend', () => {
    let backend
    let base
    const { createClient } = require('../services/api')

    function phone(code) {
      const wx = createNodeWx(code)
      return createClient({ wx, baseUrl: base, retryDelay: 0 })
    }

    beforeAll(async () => {
      backend = await startBackend('hh-e2e-appraisal-')
      base = backend.base
    }, 120000)

    afterAll(async () => {
      if (backend) await backend.stop()
    }, 30000)

    test('the demo quarters: sheets with projects, the review loop and the published results', async () => {
      const admin = phone('demo-admin')
      const branch = phone('demo-dispatcher')
      const resident = phone('demo-resident')
      const meetings = (await admin.listMeetings({ limit: 50 })).items.filter((m) => m.kind === 'evaluation')
      expect(meetings.length).toBe(2)
      for (const m of meetings) {
        const sheet = await resident.getAppraisalSheet(m.id)
        expect(sheet.lines.filter((l) => l.kind === 'project').length).toBeGreaterThan(0)
        expect(sheet.checked_in).toBe(true) // the demo resident attended and rated every line
        expect(sheet.lines.every((l) => l.rated_by_me)).toBe(true)
      }
      const compound = meetings[0].compound_id
      const staffList = (await branch.listAppraisals({ compound_id: compound, limit: 20 })).items
      const pending = staffList.find((a) => a.status === 'submitted')
      expect(pending).toBeTruthy()

      // the community admin was told, and the message opens the page
      const told = (await admin.listInbox({ limit: 50 })).items.find((n) => n.event === 'appraisal_submitted' && n.ref_id === pending.meeting_id)
      expect(pageFor(told)).toBe('/pages/project/appraisal/appraisal?id=' + pending.meeting_id)

      const back = await admin.reviewAppraisal(pending.meeting_id, 'return', '请核实物业一项的签到名单')
      expect(back.status).toBe('returned')
      const returned = (await branch.listInbox({ limit: 50 })).items.find((n) => n.event === 'appraisal_returned')
      expect(returned.body).toContain('请核实物业一项的签到名单')
      expect(pageFor(returned)).toBe('/pages/project/appraisal/appraisal?id=' + pending.meeting_id)

      expect((await branch.submitAppraisal(pending.meeting_id, null)).status).toBe('submitted')
      const published = await admin.reviewAppraisal(pending.meeting_id, 'approve', null)
      expect(published.status).toBe('published')

      const open = (await resident.listAppraisals({ compound_id: compound, limit: 20 })).items
      expect(open.map((a) => a.status)).toEqual(['published', 'published'])
      const detail = await resident.getAppraisal(open[0].id)
      const projects = detail.content.lines.filter((l) => l.kind === 'project')
      expect(projects.length).toBeGreaterThan(0)
      projects.forEach((l) => expect(l.count).toBeGreaterThanOrEqual(3))
      detail.content.lines.forEach((l) => l.comments.forEach((c) => expect(c.rater).toMatch(/\*/)))
    }, 60000)
  })
}
