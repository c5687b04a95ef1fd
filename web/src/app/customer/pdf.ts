/**
 * Opens a PDF whose short-lived link is fetched first: the tab is opened
 * at the click (so no pop-up blocker stops it) and sent to the link once
 * it is known; closed again when there is none.
 */
export async function openInNewTab(link: () => Promise<string | null>): Promise<void> {
  const tab = window.open('', '_blank');
  const url = await link();
  if (!url) {
    tab?.close();
    return;
  }
  if (tab) {
    tab.opener = null;
    tab.location.href = url;
  } else {
    window.location.href = url;
  }
}
