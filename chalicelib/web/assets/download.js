// Downloading a PDF from a button: whatever goes wrong (the document has none, the network, the
// server) is said to the customer in words, never dropped silently.
import { downloadPdf } from "./api.js";
import { t } from "./i18n.js";
import { toast } from "./ui.js";

export async function download(path, query, fallbackName) {
  try {
    return await downloadPdf(path, query, fallbackName);
  } catch (error) {
    if (!error.sessionEnded) toast(t("download.failed", { reason: error.message }), "error");
    return null;
  }
}
