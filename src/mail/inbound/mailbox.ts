// Where the bounce mailbox is read from: an IMAP folder (imapflow), or, on
// the embedded default, a folder of .eml files under ./data. Either way a
// message is listed until it is filed away (moved to the filed folder); one
// left alone (neither a report nor a reply) stays where it is, unread.

export interface MailboxMessage {
  /** the mailbox's own handle for it (an IMAP UID, a file name) */
  handle: string;
  /** its Message-ID where the mailbox gives it without reading the message */
  messageId?: string;
  receivedAt: Date;
  /** the whole message */
  raw(): Promise<Buffer>;
}

export interface Mailbox {
  /** where it is, for the log (no password) */
  describe: string;
  /** messages not yet filed away, oldest first */
  list(): Promise<MailboxMessage[]>;
  /** moves a filed message out of the way (and marks it read) */
  fileAway(handle: string): Promise<void>;
  /** resolves when something may have arrived (IMAP IDLE), or after `ms` (the polling fallback) */
  wait(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** The folder filed messages are moved to. */
export const FILED_FOLDER = process.env.IMAP_FILED_FOLDER ?? "DRP filed";
