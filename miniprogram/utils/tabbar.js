// Tab pages call syncTabBar(this, key) in onShow so the custom tab bar highlights them and shows
// the tabs the user's roles allow (see custom-tab-bar/).
function syncTabBar(page, key) {
  if (typeof page.getTabBar !== 'function') return
  const bar = page.getTabBar()
  if (bar && typeof bar.update === 'function') bar.update(key)
}

module.exports = { syncTabBar }
