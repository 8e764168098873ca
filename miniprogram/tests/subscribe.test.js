// The subscribe-message flow against a stubbed wx.requestSubscribeMessage.
const { installWx, flush } = require('./helpers/wx')

let wx, createSubscriber

beforeEach(() => {
  jest.resetModules()
  ;({ wx } = installWx())
  ;({ createSubscriber } = require('../services/subscribe'))
})

function answer(results) {
  wx.requestSubscribeMessage.mockImplementation((opts) =>
    setTimeout(() => opts.success(Object.assign({ errMsg: 'requestSubscribeMessage:ok' }, results)), 0)
  )
}

test('asks for at most 3 template ids, in the same tap, before doing the action', async () => {
  const report = jest.fn(() => Promise.resolve())
  const s = createSubscriber({ loadTemplates: () => Promise.resolve(['t1', 't2', 't2', 't3', 't4']), report })
  await s.prepare('wish_created')
  answer({ t1: 'accept', t2: 'reject', t3: 'ban' })

  const order = []
  const action = jest.fn(() => {
    order.push('action')
    return Promise.resolve('done')
  })
  report.mockImplementation(() => {
    order.push('report')
    return Promise.resolve()
  })
  const result = s.run('wish_created', action)
  // called synchronously, inside the tap's call stack
  expect(wx.requestSubscribeMessage).toHaveBeenCalledTimes(1)
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['t1', 't2', 't3'])

  await expect(result).resolves.toBe('done')
  expect(report).toHaveBeenCalledWith({
    action: 'wish_created',
    asked: true,
    results: { t1: 'accept', t2: 'reject', t3: 'ban' },
    accepted: ['t1'],
  })
  expect(order).toEqual(['report', 'action'])
})

test('goes on with the action when the user rejects everything', async () => {
  const report = jest.fn(() => Promise.resolve())
  const s = createSubscriber({ loadTemplates: () => Promise.resolve(['t1']), report })
  await s.prepare('claim')
  answer({ t1: 'reject' })
  const action = jest.fn(() => 'claimed')
  await expect(s.run('claim', action)).resolves.toBe('claimed')
  expect(action).toHaveBeenCalledWith(expect.objectContaining({ accepted: [], results: { t1: 'reject' } }))
  expect(report).toHaveBeenCalled()
})

test('goes on when the dialog fails (subscriptions switched off) and reports nothing', async () => {
  const report = jest.fn(() => Promise.resolve())
  const s = createSubscriber({ loadTemplates: () => Promise.resolve(['t1']), report })
  await s.prepare('claim')
  wx.requestSubscribeMessage.mockImplementation((opts) =>
    setTimeout(() => opts.fail({ errMsg: 'requestSubscribeMessage:fail', errCode: 20004 }), 0)
  )
  const action = jest.fn(() => 'ok')
  await expect(s.run('claim', action)).resolves.toBe('ok')
  expect(action).toHaveBeenCalledWith(expect.objectContaining({ asked: false, errCode: 20004 }))
  expect(report).not.toHaveBeenCalled()
})

test('goes on when reporting the answer fails', async () => {
  const s = createSubscriber({
    loadTemplates: () => Promise.resolve(['t1']),
    report: () => Promise.reject(new Error('offline')),
  })
  await s.prepare('claim')
  answer({ t1: 'accept' })
  await expect(s.run('claim', () => 'ok')).resolves.toBe('ok')
})

test('without template ids (not prepared, none configured) no dialog is shown', async () => {
  const s = createSubscriber({ loadTemplates: () => Promise.resolve([]) })
  const action = jest.fn(() => 'ok')
  await expect(s.run('unknown', action)).resolves.toBe('ok')
  expect(wx.requestSubscribeMessage).not.toHaveBeenCalled()
})

test('falls back to the configured ids when the server cannot list them', async () => {
  const s = createSubscriber({
    loadTemplates: () => Promise.reject(new Error('404')),
    fallback: { wish_created: ['cfg1', 'cfg2', 'cfg3', 'cfg4'] },
  })
  await expect(s.prepare('wish_created')).resolves.toEqual(['cfg1', 'cfg2', 'cfg3'])
  answer({ cfg1: 'accept' })
  await s.run('wish_created', () => null)
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['cfg1', 'cfg2', 'cfg3'])
})

test('prepare loads each action once', async () => {
  const load = jest.fn(() => Promise.resolve(['t1']))
  const s = createSubscriber({ loadTemplates: load })
  await Promise.all([s.prepare('a'), s.prepare('a')])
  await s.prepare('a')
  await flush()
  expect(load).toHaveBeenCalledTimes(1)
})

test("the action's own error reaches the caller", async () => {
  const s = createSubscriber({ loadTemplates: () => Promise.resolve([]) })
  await expect(s.run('x', () => Promise.reject(new Error('409')))).rejects.toThrow('409')
})
