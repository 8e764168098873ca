// 首页's proposal entries by role: residents propose, follow theirs and read the board; the
// reviewers (branch, community, street) have 提案审核; 议事日 for the community's people.
const { setup, openPage, text, tap } = require('../helpers/page')
const fixtures = require('../helpers/fixtures')
const roles = require('../../utils/roles')

const keys = (me) => roles.homeSections(me).find((s) => s.title === '社区提案').entries.map((e) => e.key)

test('entries per role', () => {
  expect(keys(fixtures.me())).toEqual(['new-proposal', 'my-proposals', 'proposal-board', 'meeting'])
  expect(keys(fixtures.newUser())).toEqual(['new-proposal', 'my-proposals', 'proposal-board'])
  expect(keys(fixtures.dispatcherMe())).toContain('proposal-review')
  const admin = fixtures.me({ compound_id: null, roles: ['community_admin'], grants: [{ role: 'community_admin', scope_type: 'community', scope_id: 1 }] })
  expect(keys(admin)).toEqual(['new-proposal', 'my-proposals', 'proposal-board', 'proposal-review', 'meeting'])
})

test('the home page shows them and opens the pages', async () => {
  const { wx, api } = setup()
  api.on('GET /api/v1/me', fixtures.me())
  const page = await openPage('pages/home/home')
  const t = text(page)
  expect(t).toContain('社区提案')
  expect(t).toContain('我要提案')
  expect(t).toContain('提案公示')
  expect(t).not.toContain('提案审核')
  await tap(page, '#entry-new-proposal')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/proposal/new/new' })
  await tap(page, '#entry-meeting')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/proposal/meeting/meeting' })
})

test('messages about a proposal or a meeting lead to its page', () => {
  setup()
  const { pageFor } = require('../../utils/links')
  expect(pageFor({ page: 'pages/proposal/detail/detail?id=7' })).toBe('/pages/proposal/detail/detail?id=7')
  expect(pageFor({ page: 'pages/inbox/inbox', ref_type: 'proposal', ref_id: 7 })).toBe('/pages/inbox/inbox')
  expect(pageFor({ page: 'pages/old/proposal', ref_type: 'proposal', ref_id: 7 })).toBe('/pages/proposal/detail/detail?id=7')
  expect(pageFor({ page: 'pages/old/meeting', ref_type: 'meeting', ref_id: 3 })).toBe('/pages/proposal/meeting/meeting?id=3')
})
