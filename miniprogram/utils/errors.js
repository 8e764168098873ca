// What a failed load means for the page's error state (components/page-state, list-state):
// {error: the detail to show, errorKind: 'offline' | 'network' | 'server' | 'missing' | 'other'}.
// An error never looks like "nothing here": the state says what happened, whether the phone is
// offline, and offers a large 重新加载.
const network = require('../services/network')

function kindOf(err, online = network.isOnline()) {
  const status = err && typeof err.status === 'number' ? err.status : -1
  if (status === 0) return online ? 'network' : 'offline'
  if (!online) return 'offline'
  if (status >= 500) return 'server'
  if (status === 404) return 'missing'
  return 'other'
}

function errorState(err, online) {
  return {
    error: (err && err.detail) || '加载失败，请稍后重试',
    errorKind: kindOf(err, online),
  }
}

// What page-state shows for each kind.
const KINDS = {
  offline: { title: '没有网络', hint: '请打开移动数据或 WLAN，或走到信号好的地方，再点重新加载', icon: 'wifi-off' },
  network: { title: '连不上服务器', hint: '可能是信号不好，请稍后点重新加载', icon: 'cloud' },
  server: { title: '服务器暂时出了问题', hint: '请过一会儿再点重新加载', icon: 'error-circle' },
  missing: { title: '没有找到', hint: '它可能已被删除，或您没有查看的权限', icon: 'search' },
  other: { title: '加载失败', hint: '', icon: 'error-circle' },
}

function describe(kind) {
  return KINDS[kind] || KINDS.other
}

module.exports = { kindOf, errorState, describe, KINDS }
