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
  })
}
