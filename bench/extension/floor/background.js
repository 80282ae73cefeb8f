// Opens the same popup window AgentPay opens (background/pending.ts), with a page that draws nothing but the question.
chrome.runtime.onMessage.addListener((message) => {
  if (message?.type === 'open') void chrome.windows.create({ url: chrome.runtime.getURL('window.html'), type: 'popup', width: 480, height: 760, focused: true });
});
