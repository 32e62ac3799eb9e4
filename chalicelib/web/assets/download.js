// Downloading a PDF or a CSV export from a button: whatever goes wrong (the document has none, the
// network, the server) is said to the customer in words, never dropped silently.
import { downloadPdf } from "./api.js";
import { t } from "./i18n.js";
import { toast } from "./ui.js";

export async function download(path, query, fallbackName, accept = "application/pdf") {
  try {
    return await downloadPdf(path, query, fallbackName, accept);
  } catch (error) {
    const failed = accept === "text/csv" ? "download.csv_failed" : "download.failed";
    if (!error.sessionEnded) toast(t(failed, { reason: error.message }), "error");
    return null;
  }
}
