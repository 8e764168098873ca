// Fixture data for the co-building pages (pages/cobuild): activities, sign-ups, the time bank, the
// three lists and opportunities, shaped as openapi.json's ActivityOut, RegistrationOut, StatementOut,
// ItemOut, ClaimOut, OpportunityOut. Times are relative to now so that "upcoming" stays upcoming.
const HOUR = 3600 * 1000

const at = (hours) => new Date(Date.now() + hours * HOUR).toISOString()

function activity(o = {}) {
  return Object.assign(
    {
      id: 7,
      title: '周六爱心义剪',
      community_id: 1,
      organiser_kind: 'team',
      team_id: 2,
      partner_id: null,
      series_id: null,
      place: '和谐社区党群服务中心一楼',
      start_at: at(48),
      end_at: at(50),
      signup_closes_at: at(24),
      capacity: 20,
      registered: 12,
      seats_left: 8,
      closed: false,
      my_registration: null,
      actions: ['sign_up'],
    },
    o
  )
}

function signup(o = {}) {
  return Object.assign(
    {
      id: 70,
      activity_id: 7,
      activity_title: '周六爱心义剪',
      activity_start_at: at(48),
      user_id: 1,
      name: null,
      status: 'registered',
      status_label: '已报名',
      walk_in: false,
      waitlist_position: null,
      checked_in_at: null,
      checked_out_at: null,
      minutes: 0,
    },
    o
  )
}

function statement(o = {}) {
  return Object.assign(
    {
      balance: 150,
      minutes: 390,
      items: [
        { id: 3, amount: 120, kind: 'service', kind_label: '志愿服务', note: '周六爱心义剪 2小时', at: at(-72) },
        { id: 4, amount: -30, kind: 'redemption', kind_label: '积分兑换', note: '惠民理发店 理发一次', at: at(-24) },
      ],
      next_cursor: null,
    },
    o
  )
}

function offer(o = {}) {
  return Object.assign({ id: 4, partner_id: 2, partner_name: '惠民理发店', title: '理发一次', description: '老人上门理发', cost: 30 }, o)
}

function claim(o = {}) {
  return Object.assign(
    {
      id: 30,
      item_id: 12,
      claimant_kind: 'partner',
      claimant_id: 2,
      claimant_name: '鲁味坊餐馆',
      note: '每周三送餐',
      status: 'proposed',
      status_label: '待确认',
      decline_reason: null,
      evidence: null,
      photos: [],
      rating: null,
      comment: null,
    },
    o
  )
}

function item(o = {}) {
  return Object.assign(
    {
      id: 12,
      batch_id: 1,
      community_id: 1,
      kind: 'need',
      category: '助老',
      title: '高龄老人助餐',
      description: '锦华苑8位独居老人需要午餐',
      quantity: 8,
      unit: '人',
      owner_kind: 'compound',
      owner_id: 1,
      owner_name: '锦华苑',
      status: 'open',
      status_label: '待认领',
      claims: null,
    },
    o
  )
}

function opportunity(o = {}) {
  return Object.assign(
    {
      id: 3,
      title: '招募助老送餐服务',
      mode: 'low_fee',
      mode_label: '低偿服务',
      needs: '每天为20位老人送午餐',
      deadline: at(24 * 10),
      community_id: 1,
      open: true,
      applications: 2,
      share: { title: '幸福合伙人招募：招募助老送餐服务', path: '/pages/cobuild/opportunities/opportunities?id=3', summary: '低偿服务：每天为20位老人送午餐' },
    },
    o
  )
}

function partnerMe(o = {}) {
  return Object.assign(
    { id: 9, name: '李店长', phone: '13900000009', compound_id: 1, compound_name: '锦华苑', household_id: null, room: null, household_status: 'none', verification: null, roles: ['resident', 'partner_contact'], grants: [{ role: 'partner_contact', scope_type: 'partner', scope_id: 2 }] },
    o
  )
}

function adminMe(o = {}) {
  return Object.assign(
    { id: 5, name: '陈主任', phone: '13900000005', compound_id: 1, compound_name: '锦华苑', household_id: null, room: null, household_status: 'none', verification: null, roles: ['community_admin'], grants: [{ role: 'community_admin', scope_type: 'community', scope_id: 1 }] },
    o
  )
}

module.exports = { at, activity, signup, statement, offer, claim, item, opportunity, partnerMe, adminMe }
