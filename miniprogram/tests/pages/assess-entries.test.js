// The entries of 部门考核 and 夺旗摘星 on 首页: community admins and the street admin see 夺旗摘星,
// the street admin and department staff / heads see 部门考核; residents see neither. Each entry opens
// a page declared in app.json.
const fs = require('fs')
const path = require('path')
const roles = require('../../utils/roles')
const fixtures = require('../helpers/fixtures')

const keys = (me) => roles.homeSections(me).reduce((all, s) => all.concat(s.entries.map((e) => e.key)), [])
const url = (me, key) => roles.homeSections(me).reduce((all, s) => all.concat(s.entries), []).find((e) => e.key === key).url

test('who sees which assessment entry', () => {
  const admin = keys(fixtures.me({ roles: ['resident', 'community_admin'] }))
  expect(admin).toContain('competition')
  expect(admin).not.toContain('assessment')
  expect(admin).not.toContain('dept-assessment')
  const street = keys(fixtures.me({ roles: ['street_admin'] }))
  expect(street).toEqual(expect.arrayContaining(['competition', 'assessment']))
  ;['department_staff', 'department_head'].forEach((r) => {
    const k = keys(fixtures.me({ roles: [r] }))
    expect(k).toContain('dept-assessment')
    expect(k).not.toContain('competition')
  })
  const resident = keys(fixtures.me())
  expect(resident).not.toContain('competition')
  expect(resident).not.toContain('assessment')
})

test('the entries open pages of the assess subpackage', () => {
  const app = JSON.parse(fs.readFileSync(path.join(__dirname, '../../app.json'), 'utf8'))
  const assess = app.subPackages.find((p) => p.root === 'pages/assess')
  const declared = assess.pages.map((p) => '/' + assess.root + '/' + p)
  expect(declared).toContain(url(fixtures.me({ roles: ['street_admin'] }), 'competition'))
  expect(declared).toContain(url(fixtures.me({ roles: ['street_admin'] }), 'assessment'))
  expect(declared).toContain(url(fixtures.me({ roles: ['department_staff'] }), 'dept-assessment'))
})
