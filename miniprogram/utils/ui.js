// Small promise wrappers over wx UI calls used by several pages.

// Asks for a reason with an editable modal; resolves with the trimmed text, or null if cancelled.
function askReason(title, placeholder) {
  return new Promise((resolve) => {
    wx.showModal({
      title,
      editable: true,
      placeholderText: placeholder || '请填写原因',
      confirmText: '确定',
      cancelText: '取消',
      success: (res) => {
        if (!res.confirm) return resolve(null)
        const text = (res.content || '').trim()
        if (!text) {
          wx.showToast({ title: '请填写原因', icon: 'none' })
          return resolve(null)
        }
        resolve(text.slice(0, 200))
      },
      fail: () => resolve(null),
    })
  })
}

// Resolves true when the user confirms.
function confirm(title, content) {
  return new Promise((resolve) => {
    wx.showModal({
      title,
      content: content || '',
      confirmText: '确定',
      cancelText: '取消',
      success: (res) => resolve(!!res.confirm),
      fail: () => resolve(false),
    })
  })
}

function toast(title, icon) {
  wx.showToast({ title, icon: icon || 'none', duration: 2000 })
}

module.exports = { askReason, confirm, toast }
