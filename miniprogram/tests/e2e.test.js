/**
 * @jest-environment node
 */
// End to end: starts the real backend (dev mode, a fresh SQLite file, the fake WeChat, demo data)
// and drives the mini-program's own services/api.js from Node — the code the phone runs — through
// the whole loop as resident, dispatcher and Party members, then the grid's visits and the
// escalation loop (网格吹哨、街社报到) as grid worker, department and community admin.
//
// Needs the backend's virtualenv (`make install` at the repo root); skipped with a message if absent.
const path = require('path')
const { createNodeWx, httpCall } = require('./helpers/node-wx')
const { REPO, PYTHON, HAVE_BACKEND, startBackend } = require('./helpers/backend')

if (!HAVE_BACKEND) {
  console.warn(`e2e skipped: ${PYTHON} does not exist — run \`make install\` in ${REPO} first`)
  test.skip(`e2e skipped: ../.venv/bin/python not found (run \`make install\` at the repo root)`, () => {})
} else {
  describe('the core loop against the real backend', () => {
    let backend
    let tmp
    let base
    const { createClient } = require('../services/api')

    // One mini-program per person: its own wx (storage, login code) and its own API client.
    function phone(code) {
      const wx = createNodeWx(code)
      const api = createClient({ wx, baseUrl: base, retryDelay: 0 })
      return { wx, api }
    }

    beforeAll(async () => {
      backend = await startBackend('hh-e2e-')
      base = backend.base
      tmp = backend.tmp
    }, 120000)

    afterAll(async () => {
      if (backend) await backend.stop()
    }, 30000)

    test('群众点单 → 小区派单 → 党员接单 → 居民确认, with photos and the timeline', async () => {
      const resident = phone('demo-resident')
      const dispatcher = phone('demo-dispatcher')
      const member = phone('demo-member')

      // the resident: logs in on the first call, is bound to 锦华苑
      const me = await resident.api.getMe()
      expect(resident.wx.logins).toBe(1)
      expect(me.compound_name).toBe('锦华苑')
      const cats = await resident.api.listCategories()
      expect(cats.items.map((c) => c.code)).toContain('repair')

      const photo = await resident.api.uploadPhoto(path.join(tmp, 'photo.png'))
      // re-encoded without EXIF (so its size is the server's), shown through a signed URL, sent as its ref
      expect(photo).toMatchObject({ content_type: 'image/png', kind: 'photo' })
      expect(photo.ref).toMatch(/^\/uploads\/[0-9a-f]{32}\.png$/)
      expect(photo.url.startsWith(photo.ref + '?exp=')).toBe(true)
      const served = await httpCall(base + photo.url, {})
      expect(served.statusCode).toBe(200)
      expect((await httpCall(base + photo.ref, {})).statusCode).toBe(403)

      const wish = await resident.api.createWish({
        title: '厨房水龙头漏水（e2e）',
        description: '关不紧，一直滴水',
        category: 'repair',
        photos: [photo.ref],
      })
      expect(wish.status).toBe('pending_review')
      expect(wish.photos.map((u) => u.split('?')[0])).toEqual([photo.ref])
      const mine = await resident.api.listWishes({ mine: true, limit: 5 })
      expect(mine.items[0].id).toBe(wish.id)

      // the dispatcher: review queue, approve, candidates with reasons, dispatch
      const queue = await dispatcher.api.listWishes({ status: 'pending_review', limit: 100 })
      expect(queue.items.map((w) => w.id)).toContain(wish.id)
      const approved = await dispatcher.api.reviewWish(wish.id, 'approve')
      expect(approved.status).toBe('open')

      const memberMe = await member.api.getMe()
      const candidates = await dispatcher.api.getCandidates(wish.id)
      const chosen = candidates.items.find((c) => c.member_id === memberMe.id)
      expect(chosen).toBeTruthy()
      expect(chosen.reasons.length).toBeGreaterThan(0)
      const dispatched = await dispatcher.api.dispatchWish(wish.id, memberMe.id, '您住得近')
      expect(dispatched.status).toBe('dispatched')
      const followup = await dispatcher.api.listOrders({ mine: false, status: 'offered', limit: 100 })
      expect(followup.items.map((o) => o.wish_id)).toContain(wish.id)

      // the member: the offer, accept (the resident's contact is disclosed), complete with a photo
      const offers = await member.api.listOrders({ mine: true, status: 'offered' })
      const order = offers.items.find((o) => o.wish_id === wish.id)
      expect(order).toMatchObject({ note: '您住得近', wish_title: '厨房水龙头漏水（e2e）' })
      const accepted = await member.api.acceptOrder(order.id)
      expect(accepted.status).toBe('accepted')
      expect(accepted.requester).toMatchObject({ masked: false, phone: me.phone })
      const donePhoto = await member.api.uploadPhoto(path.join(tmp, 'photo.png'))
      const completed = await member.api.completeWish(wish.id, '换了阀芯，不漏了', [donePhoto.ref])
      expect(completed.status).toBe('completed')

      // the resident confirms and rates; the timeline tells the whole story
      const closed = await resident.api.confirmWish(wish.id, 5, '谢谢！')
      expect(closed).toMatchObject({ status: 'closed', rating: 5, comment: '谢谢！' })
      const detail = await resident.api.getWish(wish.id)
      const types = detail.events.map((e) => e.type)
      ;['created', 'approved', 'dispatched', 'accepted', 'completed', 'confirmed'].reduce((from, type) => {
        const at = types.indexOf(type, from)
        expect(at).toBeGreaterThanOrEqual(from)
        return at + 1
      }, 0)
      expect(detail.order).toMatchObject({ status: 'completed', completion_note: '换了阀芯，不漏了' })
      expect(detail.order.photos.map((u) => u.split('?')[0])).toEqual([donePhoto.ref])
      expect(resident.wx.toasts).toEqual([])
    })

    test('心愿墙: two members claim the same wish at once — one wins, the other is told why', async () => {
      const resident = phone('demo-resident2')
      const dispatcher = phone('demo-dispatcher')
      const a = phone('demo-member2')
      const b = phone('demo-member3')
      const wish = await resident.api.createWish({ title: '帮忙搬一下旧沙发', category: 'goods' })
      await dispatcher.api.reviewWish(wish.id, 'approve')
      const wall = await a.api.listWall({ limit: 100 })
      expect(wall.items.map((w) => w.id)).toContain(wish.id)

      const results = await Promise.allSettled([a.api.claimWish(wish.id), b.api.claimWish(wish.id)])
      const won = results.filter((r) => r.status === 'fulfilled')
      const lost = results.filter((r) => r.status === 'rejected')
      expect(won).toHaveLength(1)
      expect(lost).toHaveLength(1)
      expect(won[0].value.status).toBe('accepted')
      expect(lost[0].reason).toMatchObject({ status: 409, code: 'already_taken' })
      // the loser saw the server's words in a toast
      expect(a.wx.toasts.concat(b.wx.toasts)).toEqual([lost[0].reason.detail])
    })

    test('a declined offer goes back to the compound with the reason', async () => {
      const resident = phone('demo-resident')
      const dispatcher = phone('demo-dispatcher')
      const member = phone('demo-member3')
      const memberId = (await member.api.getMe()).id
      const wish = await resident.api.createWish({ title: '周末想请人辅导作文', category: 'education' })
      await dispatcher.api.reviewWish(wish.id, 'approve')
      await dispatcher.api.dispatchWish(wish.id, memberId)
      const offer = (await member.api.listOrders({ mine: true, status: 'offered' })).items.find((o) => o.wish_id === wish.id)
      const back = await member.api.declineOrder(offer.id, '这周出差')
      expect(back.status).toBe('open')
      const returned = await dispatcher.api.listOrders({ mine: false, status: 'declined', limit: 100 })
      expect(returned.items.find((o) => o.wish_id === wish.id)).toMatchObject({ decline_reason: '这周出差', wish_status: 'open' })
      // and the resident may still cancel it
      const cancelled = await resident.api.cancelWish(wish.id, '已经找到人了')
      expect(cancelled).toMatchObject({ status: 'cancelled', cancel_reason: '已经找到人了' })
    })

    test('a newcomer binds to a compound, places a wish, reports in as a Party member and is approved', async () => {
      const newcomer = phone('e2e-newcomer-' + Date.now())
      const dispatcher = phone('demo-dispatcher')
      const fresh = await newcomer.api.getMe()
      expect(fresh.compound_id).toBeNull()

      // before binding: the server's reason is shown
      await expect(newcomer.api.createWish({ title: '想学太极', category: 'skills' })).rejects.toMatchObject({ code: 'compound_required' })
      expect(newcomer.wx.toasts).toHaveLength(1)

      const found = await newcomer.api.searchCompounds({ q: '锦华' })
      const compound = found.items.find((c) => c.name === '锦华苑')
      const bound = await newcomer.api.updateMe({ compound_id: compound.id, name: '新邻居' })
      expect(bound).toMatchObject({ compound_name: '锦华苑', name: '新邻居' })
      const wish = await newcomer.api.createWish({ title: '想学太极', category: 'skills' })
      expect(wish.status).toBe('pending_review')

      const reg = await newcomer.api.registerMember({ compound_id: compound.id, work_unit: '区文化馆', skills: ['书法'] })
      expect(reg.status).toBe('pending')
      const pending = await dispatcher.api.listRegistrations({ status: 'pending', limit: 100 })
      expect(pending.items.map((r) => r.id)).toContain(reg.id)
      await dispatcher.api.approveRegistration(reg.id)

      const now = await newcomer.api.getMe()
      expect(now.roles).toContain('party_member')
      const profile = await newcomer.api.getMember()
      expect(profile).toMatchObject({ work_unit: '区文化馆', skills: ['书法'] })
      const paused = await newcomer.api.updateMember({ available: false })
      expect(paused.available).toBe(false)
      await expect(newcomer.api.listWall()).resolves.toHaveProperty('items')
    })

    test('subscribe messages and the inbox: templates per action, credits reported, messages read', async () => {
      const resident = phone('demo-resident2')
      const dispatcher = phone('demo-dispatcher')
      const { createSubscriber } = require('../services/subscribe')
      const subscriber = createSubscriber({
        wx: Object.assign(resident.wx, {
          // the user taps "allow" for every template
          requestSubscribeMessage: (opts) => {
            const res = { errMsg: 'requestSubscribeMessage:ok' }
            opts.tmplIds.forEach((id) => (res[id] = 'accept'))
            setImmediate(() => opts.success(res))
          },
        }),
        loadTemplates: (action) => resident.api.listTemplates(action).then((out) => out.template_ids),
        report: (outcome) => resident.api.reportSubscriptions(outcome.results),
      })
      const ids = await subscriber.prepare('create_wish')
      expect(ids.length).toBeGreaterThan(0)
      expect(ids.length).toBeLessThanOrEqual(3)

      const wish = await subscriber.run('create_wish', () =>
        resident.api.createWish({ title: '想请人教用智能手机挂号', category: 'skills' })
      )
      await dispatcher.api.reviewWish(wish.id, 'approve')

      // the review reaches the resident's inbox (and, with a credit, WeChat)
      let inbox
      for (let i = 0; i < 20; i++) {
        inbox = await resident.api.listInbox({ limit: 20 })
        if (inbox.items.some((m) => m.ref_type === 'wish' && m.ref_id === wish.id)) break
        await new Promise((r) => setTimeout(r, 250))
      }
      const message = inbox.items.find((m) => m.ref_type === 'wish' && m.ref_id === wish.id)
      expect(message).toBeTruthy()
      expect(message.read).toBe(false)
      expect(inbox.unread).toBeGreaterThan(0)
      const { pageFor } = require('../utils/links')
      expect(pageFor(message)).toBe('/pages/wish/detail/detail?id=' + wish.id)

      const read = await resident.api.markRead(message.id)
      expect(read.read).toBe(true)
      const all = await resident.api.markAllRead()
      expect(all.unread).toBe(0)
    })

    test('走访: a grid worker records two visits offline, syncs when back online, replays safely; the need becomes a wish to review', async () => {
      const worker = phone('demo-gridworker')
      const dispatcher = phone('demo-dispatcher')
      const { createVisitQueue } = require('../services/visit-queue')
      const me = await worker.api.getMe()
      expect(me.roles).toContain('grid_worker')

      // before leaving: who is due, and their register
      const todo = await worker.api.listVisitTodo({ limit: 10 })
      expect(todo.items.length).toBeGreaterThanOrEqual(2)
      const [a, b] = todo.items
      const register = await worker.api.listHouseholds({ limit: 5 })
      expect(register.items[0]).toMatchObject({ phones_masked: false })
      const household = await worker.api.getHousehold(a.household_id)
      expect(household.label).toBe(a.label)

      // on the stairs, no signal: two visits, one with a need (and a photo taken there)
      const makeQueue = () =>
        createVisitQueue({
          wx: worker.wx,
          send: (visits) => worker.api.postVisitBatch(visits, { silent: true }),
          upload: (file) => worker.api.uploadPhoto(file, { silent: true }).then((out) => out.url),
        })
      const queue = makeQueue()
      worker.wx.setNetwork(false)
      await queue.start()
      const need = '老人想请人每周帮忙买一次菜（e2e）'
      const first = queue.add(
        {
          household_id: a.household_id,
          visited_at: new Date(Date.now() - 60000).toISOString(),
          outcome: 'met',
          people_met: [household.residents[0] ? household.residents[0].name : '户主'],
          note: '身体还好，腿脚不便',
          findings: [{ kind: 'need', text: need, photos: [path.join(tmp, 'photo.png')] }],
        },
        { label: a.label }
      )
      const second = queue.add(
        { household_id: b.household_id, visited_at: new Date().toISOString(), outcome: 'not_home', people_met: [], note: '', findings: [] },
        { label: b.label }
      )
      await new Promise((r) => setTimeout(r, 50))
      expect(queue.list().map((i) => i.state)).toEqual(['pending', 'pending'])

      // the signal returns: the queue syncs by itself
      worker.wx.setNetwork(true)
      for (let i = 0; i < 100 && queue.counts().unsynced; i++) await new Promise((r) => setTimeout(r, 100))
      const synced = queue.list()
      expect(synced.map((i) => i.state)).toEqual(['created', 'created'])
      expect(synced[0].server_id).toEqual(expect.any(Number))
      expect(synced[0].payload.findings[0].photos[0]).toMatch(/^\/uploads\//)
      const wishRef = synced[0].follow_ups.find((f) => f.type === 'wish')
      expect(wishRef).toBeTruthy()
      queue.stop()

      // the same queue again, as if every response had been lost: duplicates, the same ids
      worker.wx.setStorageSync(
        'hh_visit_queue',
        worker.wx.getStorageSync('hh_visit_queue').map((i) => Object.assign({}, i, { state: 'syncing' }))
      )
      const replay = makeQueue()
      await replay.start()
      expect(replay.list().map((i) => [i.client_id, i.state, i.server_id])).toEqual([
        [first.client_id, 'duplicate', synced[0].server_id],
        [second.client_id, 'duplicate', synced[1].server_id],
      ])
      replay.stop()
      const again = await worker.api.postVisitBatch(synced.map((i) => Object.assign({ client_id: i.client_id }, i.payload)))
      expect(again).toMatchObject({ created: 0, duplicate: 2, error: 0 })
      expect(again.results.map((r) => r.id)).toEqual(synced.map((i) => i.server_id))

      // the household's history has it once, with the finding and what it became
      const history = await worker.api.listHouseholdVisits(a.household_id, { limit: 5 })
      const mine = history.items.filter((v) => v.client_id === first.client_id)
      expect(mine).toHaveLength(1)
      expect(mine[0].findings[0]).toMatchObject({ kind: 'need', text: need, follow_up: { type: 'wish', id: wishRef.id } })

      // coverage counts the visits
      const coverage = await worker.api.getVisitCoverage()
      expect(coverage.total.visited).toBeGreaterThan(0)

      // the dispatcher finds the drafted wish in the review queue
      const review = await dispatcher.api.listWishes({ status: 'pending_review', limit: 100 })
      const drafted = review.items.find((w) => w.id === wishRef.id)
      expect(drafted).toBeTruthy()
      expect(drafted.title).toContain('老人想请人每周帮忙买一次菜')
      expect(worker.wx.toasts).toEqual([])
    })

    test('网格吹哨、街社报到: the grid raises an issue, whistles, the department answers and resolves, the grid rates it', async () => {
      const worker = phone('demo-gridworker')
      const department = phone('demo-department')
      const admin = phone('demo-admin')

      const register = await worker.api.listHouseholds({ limit: 1 })
      const household = register.items[0]
      const raised = await worker.api.raiseIssue({
        household_id: household.id,
        category: 'facility',
        urgency: 'urgent',
        description: '单元门禁损坏，老人进出不便（e2e）',
        location: household.label,
        photos: [],
      })
      expect(raised).toMatchObject({ status: 'open', household_id: household.id, urgency: 'urgent' })
      expect(raised.actions).toEqual(expect.arrayContaining(['whistle', 'resolve']))

      // and one for a public place of the grid, picked from the worker's places
      const places = await worker.api.listIssuePlaces()
      expect(places.length).toBeGreaterThanOrEqual(1)
      const place = places[0]
      const lamp = await worker.api.raiseIssue({
        grid_id: place.grid_id,
        compound_id: place.compounds[0].compound_id,
        category: 'facility',
        urgency: 'normal',
        description: '东门路灯不亮（e2e）',
        location: '东门',
        photos: [],
      })
      expect(lamp).toMatchObject({ status: 'open', household_id: null, grid_id: place.grid_id })

      const depts = await worker.api.listDepartments()
      const deptId = (depts.find((d) => d.id === 1) || depts[0]).id
      const whistled = await worker.api.whistleIssue(raised.id, deptId)
      expect(whistled).toMatchObject({ status: 'whistled', department_id: deptId })
      expect(whistled.response_due_at).toEqual(expect.any(String))
      expect(whistled.disposal_due_at).toEqual(expect.any(String))

      const assigned = await department.api.listIssues({ limit: 50 })
      expect(assigned.items.map((i) => i.id)).toContain(raised.id)
      const responded = await department.api.respondIssue(raised.id, '已收到，今天下午到场')
      expect(responded.status).toBe('responded')
      const resolved = await department.api.resolveIssue(raised.id, '门禁已更换', [])
      expect(resolved).toMatchObject({ status: 'resolved', resolution_note: '门禁已更换' })

      const seen = await worker.api.getIssue(raised.id)
      expect(seen.actions).toEqual(expect.arrayContaining(['confirm', 'reopen']))
      const confirmed = await worker.api.confirmIssue(raised.id, true, '居民说修得很快')
      expect(confirmed).toMatchObject({ status: 'confirmed', satisfied: true, auto_confirmed: false })
      expect(confirmed.events.map((e) => e.type)).toEqual(['created', 'whistled', 'responded', 'resolved', 'confirmed'])

      // the community's three rates count it, answered and resolved in time, residents satisfied
      const rates = await admin.api.getEscalationStats({})
      expect(rates.whistled).toBeGreaterThanOrEqual(1)
      expect(rates.response_rate.numerator).toBeGreaterThanOrEqual(1)
      expect(rates.satisfaction_rate.numerator).toBeGreaterThanOrEqual(1)
      // and the admin can open it from the drill-down
      expect(rates.satisfaction_rate.issues.satisfied).toContain(raised.id)
      expect((await admin.api.getIssue(raised.id)).status).toBe('confirmed')
      ;[worker, department, admin].forEach((p) => expect(p.wx.toasts).toEqual([]))
    })

    test('社区提案 → 审议 → 议事日: a resident proposes through the self-check, the branch accepts it onto the agenda, residents raise topics and check in', async () => {
      const resident = phone('demo-resident')
      const branch = phone('demo-dispatcher')
      const admin = phone('demo-admin')

      const lists = await resident.api.getProposalLists()
      expect(lists.encouraged).toHaveLength(6)
      expect(lists.negative).toHaveLength(13)
      const draft = await resident.api.createProposal({
        level: 'compound',
        kind: 'individual',
        title: '端到端：楼道加装扶手',
        problem: '老人上下楼不便',
        solution: '每个单元加装扶手',
        category: lists.encouraged[0].code,
        will_undertake: true,
        undertaking: '我来联系施工队',
        estimated_cost: 3000,
        organisation_name: null,
        photos: [],
      })
      expect(draft.status).toBe('draft')
      expect(draft.actions).toEqual(expect.arrayContaining(['edit', 'submit', 'withdraw']))
      const refused = await resident.api.submitProposal(draft.id, false, { silent: true }).catch((e) => e)
      expect(refused.code).toBe('self_check_required')
      const submitted = await resident.api.submitProposal(draft.id, true)
      expect(submitted.status).toBe('submitted')
      const mine = await resident.api.listProposals({ mine: true, limit: 50 })
      expect(mine.items.map((p) => p.id)).toContain(draft.id)

      const queue = await branch.api.listProposals({ status: 'submitted', level: 'compound', limit: 50 })
      expect(queue.items.map((p) => p.id)).toContain(draft.id)
      const bare = await branch.api.reviewProposal(draft.id, { decision: 'reject', reason: null, negative_codes: [], to_level: null }, { silent: true }).catch((e) => e)
      expect(bare.code).toBe('reason_required')
      const accepted = await branch.api.reviewProposal(draft.id, { decision: 'accept', reason: null, negative_codes: [], to_level: null })
      expect(accepted.status).toBe('accepted')
      expect(accepted.steps.filter((st) => st.done).map((st) => st.name)).toEqual(['收集', '审议'])

      const meetings = await admin.api.listMeetings({ limit: 20 })
      const coming = meetings.items.find((m) => m.kind === 'deliberation_day' && m.status === 'planned')
      const topic = await resident.api.raiseTopic('端到端：小区装充电桩', null)
      expect(topic.status).toBe('proposed')
      const checkedIn = await resident.api.checkInMeeting(coming.id)
      expect(checkedIn.meeting.actions).toContain('check_in')
      expect(checkedIn.meeting.steps).toHaveLength(9)
      const resident2 = await resident.api.getProposal(draft.id)
      // the month's deliberation day (the 10th; the meeting itself may move to the next working day)
      expect(resident2.agenda.meeting_date.slice(0, 7)).toBe(coming.date.slice(0, 7))
    })

    test('an expired or broken token: the client logs in again and the call goes through', async () => {
      const resident = phone('demo-resident')
      await resident.api.getMe()
      resident.wx.setStorageSync('hh_token', 'not-a-valid-token')
      const me = await resident.api.getMe()
      expect(me.name).toBe('王秀兰')
      expect(resident.wx.logins).toBe(2)
      expect(resident.wx.toasts).toEqual([])
    })
  })
}
