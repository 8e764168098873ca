/**
 * @jest-environment node
 */
// End to end for the project pages (pages/project): starts the real backend (dev mode, a fresh SQLite
// file, the fake WeChat, demo data) and drives services/api.js from Node as the pages do — the
// public project page, a department's tasks and daily sign-in (a batch replayed by client id), a
// resident's ballot and the household's second one (409 already_voted).
//
// Needs the backend's virtualenv (`make install` at the repo root); skipped with a message if absent.
const { createNodeWx } = require('./helpers/node-wx')
const { REPO, PYTHON, HAVE_BACKEND, startBackend } = require('./helpers/backend')

if (!HAVE_BACKEND) {
  console.warn(`e2e skipped: ${PYTHON} does not exist — run \`make install\` in ${REPO} first`)
  test.skip(`e2e skipped: ../.venv/bin/python not found (run \`make install\` at the repo root)`, () => {})
} else {
  describe('the project pages against the real backend', () => {
    let backend
    let base
    const { createClient } = require('../services/api')

    // One mini-program per person: its own wx (storage, login code) and its own API client.
    function phone(code) {
      const wx = createNodeWx(code)
      const api = createClient({ wx, baseUrl: base, retryDelay: 0 })
      return { wx, api }
    }

    beforeAll(async () => {
      backend = await startBackend('hh-e2e-project-')
      base = backend.base
    }, 120000)

    afterAll(async () => {
      if (backend) await backend.stop()
    }, 30000)

    test('项目公示: a resident reads the public page, without staff actions', async () => {
      const resident = phone('demo-resident')
      const page = await resident.api.listProjects({ limit: 20 })
      expect(page.items.length).toBeGreaterThan(0)
      const p = await resident.api.getProject(page.items[0].id)
      expect(p.view).toBe('public')
      expect(p.actions).toEqual([])
      expect(Array.isArray(p.tasks) && Array.isArray(p.funding) && Array.isArray(p.milestones)).toBe(true)
      p.funding.forEach((f) => expect(f.spent).toBeLessThanOrEqual(f.received))
    })

    test('我的任务: the department accepts, reports progress and completes a task', async () => {
      const dept = phone('demo-department')
      const mine = await dept.api.listMyTasks({ limit: 50 })
      expect(mine.items.length).toBeGreaterThan(0)
      const open = mine.items.find((t) => (t.actions || []).indexOf('accepted') >= 0) || mine.items.find((t) => (t.actions || []).indexOf('completed') >= 0)
      expect(open).toBeTruthy()
      let t = open
      if (t.actions.indexOf('accepted') >= 0) {
        t = await dept.api.acceptTask(t.id)
        expect(t.status).toBe('accepted')
      }
      expect(t.actions).toEqual(expect.arrayContaining(['progress', 'completed']))
      t = await dept.api.reportTask(t.id, '已到现场查看（e2e）', [])
      expect(t.report).toBe('已到现场查看（e2e）')
      t = await dept.api.completeTask(t.id, '已完成（e2e）', [])
      expect(t.status).toBe('completed')
      expect(t.actions).toEqual([])
    })

    test('每日签到: places, a batch replayed by client id counts once, the month figure', async () => {
      const dept = phone('demo-department')
      const places = await dept.api.listCheckinPlaces()
      expect(places.contacts.length).toBeGreaterThan(0)
      const c = places.contacts[0]
      const entry = { client_id: '6f1c2b9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f', at: new Date().toISOString(), place_kind: c.place_kind, place_id: c.place_id, latitude: 37.45, longitude: 118.58 }
      const first = await dept.api.postCheckins([entry])
      expect(first.items).toHaveLength(1)
      const again = await dept.api.postCheckins([entry]) // the answer was lost: the same entry again
      expect(again.items[0].client_id).toBe(entry.client_id)
      // a contact place, now: kept; the replay is answered as the same sign-in
      expect(first.items[0]).toMatchObject({ result: 'accepted', reason: null })
      expect(again.items[0].result).toBe('duplicate')
      expect(again.items[0].checkin_id).toBe(first.items[0].checkin_id)
      // a place that is not mine: refused with the reason, in words
      const other = await dept.api.postCheckins([Object.assign({}, entry, { client_id: '7a2d3c0f-2e3b-4d4c-8f90-1b2c3d4e5f60', place_id: 99999 })])
      expect(other.items[0]).toMatchObject({ result: 'refused', checkin_id: null })
      expect(other.items[0].reason).toMatch(/[\u4e00-\u9fa5]/)
      const s = await dept.api.getCheckinSummary({ department_id: places.department_id })
      const me = s.people.find((p) => p.user_id === c.user_id)
      expect(me).toBeTruthy()
      const f = me.signin_rate
      expect(f.denominator).toBe(f.buckets.signed.length + f.buckets.missed.length)
      expect(f.numerator).toBe(f.buckets.signed.length)
      expect(f.definition).toBeTruthy()
    })

    test('测评: a resident answers an open ballot; the household\'s second is 409 already_voted', async () => {
      const resident = phone('demo-resident')
      const open = await resident.api.listBallots()
      expect(open.length).toBeGreaterThan(0)
      const b = open[0]
      const answers = {}
      b.questions.forEach((q) => (answers[q.code] = q.kind === 'score_1_5' ? 4 : '希望多办实事（e2e）'))
      const out = await resident.api.castBallot(b.campaign_id, b.target_id, answers)
      expect(out).toMatchObject({ campaign_id: b.campaign_id, target_id: b.target_id })
      const left = await resident.api.listBallots()
      expect(left.some((x) => x.campaign_id === b.campaign_id && x.target_id === b.target_id)).toBe(false)
      let err = null
      try {
        await resident.api.castBallot(b.campaign_id, b.target_id, answers, { silent: true })
      } catch (e) {
        err = e
      }
      expect(err).toMatchObject({ status: 409, code: 'already_voted' })
    })

    async function refusal(promise) {
      try {
        await promise
      } catch (e) {
        return e
      }
      return null
    }

    test('年度计划: the branch plans, is refused below four key projects, submits; the community returns it', async () => {
      const branch = phone('demo-dispatcher')
      const admin = phone('demo-admin')
      const year = new Date().getUTCFullYear() + 3 // a year the demo has not planned
      const row = (await branch.api.listPlans({ year })).items.find((r) => r.compound_name === '锦华苑')
      expect(row).toMatchObject({ plan_id: null, status: null, actions: ['edited'], key_required: 4 })
      const planned = (n, key) => ({ title: '计划项目' + n + '（e2e）', key, undertaker: '锦华苑党支部' })
      let plan = await branch.api.savePlan(row.compound_id, year, { project_ids: [], new_projects: [planned(1, true), planned(2, true), planned(3, true), planned(4, false)] })
      expect(plan).toMatchObject({ status: 'draft', key_count: 3, actions: ['edited', 'submitted'] })
      const err = await refusal(branch.api.submitPlan(row.compound_id, year, { silent: true }))
      expect(err).toMatchObject({ status: 409, code: 'too_few_key_projects' })
      expect(err.detail).toContain('只有3项')
      const ids = plan.projects.map((p) => p.id)
      plan = await branch.api.savePlan(row.compound_id, year, { project_ids: ids, new_projects: [planned(5, true)] })
      expect(plan.key_count).toBe(4)
      plan = await branch.api.submitPlan(row.compound_id, year)
      expect(plan).toMatchObject({ status: 'submitted', actions: [] })
      const seen = (await admin.api.listPlans({ year })).items.find((r) => r.compound_id === row.compound_id)
      expect(seen).toMatchObject({ status: 'submitted', actions: ['approved', 'returned'] })
      plan = await admin.api.decidePlan(row.compound_id, year, 'return', '请补充预算（e2e）')
      expect(plan).toMatchObject({ status: 'returned', reason: '请补充预算（e2e）' })
      expect((await branch.api.getPlan(row.compound_id, year)).actions).toEqual(['edited', 'submitted'])
    })

    test('项目评估: the admin records a review of a project not yet reviewed; a second is 409', async () => {
      const admin = phone('demo-admin')
      const year = Number(new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 4))
      const todo = await admin.api.listProjectReviews({ year, kind: 'yearend', reviewed: false, limit: 50 })
      expect(todo.items.length).toBeGreaterThan(0)
      const row = todo.items[0]
      expect(row.place_name).toBeTruthy()
      const made = await admin.api.reviewProject(row.project.id, 'yearend', 92, '按期完成（e2e）')
      expect(made).toMatchObject({ kind: 'yearend', score: 92 })
      const done = await admin.api.listProjectReviews({ year, kind: 'yearend', reviewed: true, limit: 50 })
      expect(done.items.find((r) => r.project.id === row.project.id).reviews.map((r) => r.kind)).toContain('yearend')
      const err = await refusal(admin.api.reviewProject(row.project.id, 'yearend', 80, '', { silent: true }))
      expect(err).toMatchObject({ status: 409, code: 'already_reviewed' })
    })
  })
}
