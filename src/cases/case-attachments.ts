import { createHash } from 'node:crypto';
import path from 'node:path';
import type { AuditService } from '../audit/audit.service.js';
import type { Db } from '../db/db.js';
import type { OfficeScope } from '../movements/movement.service.js';
import type { Clock } from '../shared/clock.js';
import { DomainError, notFound, validationError } from '../shared/errors.js';
import type { IdGenerator } from '../shared/ids.js';
import type { CaseService } from './case.service.js';

/** What officers attach: photos from an inspection, scanned papers, a lab report, a spreadsheet. */
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'text/plain', 'text/csv'] as const;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface Attachment {
  id: string;
  caseId: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
}

interface AttachmentRow {
  id: string;
  case_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_by: string;
  uploaded_at: string;
}

const toAttachment = (row: AttachmentRow): Attachment => ({
  id: row.id,
  caseId: row.case_id,
  filename: row.filename,
  contentType: row.content_type,
  size: Number(row.size),
  sha256: row.sha256,
  uploadedBy: row.uploaded_by,
  uploadedAt: row.uploaded_at,
});

/** The file name as shown and offered for download: no folders, no control characters, not empty. */
const cleanFilename = (name: string): string => path.basename(name.replace(/\\/g, '/')).replace(/[\p{Cc}"]/gu, '').trim();

/**
 * Evidence files on cases. Only someone who may see the case's movement may attach or read; a decided
 * case is closed to new files, so the evidence a decision rested on stays what it was.
 */
export class CaseAttachments {
  constructor(private readonly deps: { db: Db; clock: Clock; ids: IdGenerator; audit: AuditService; cases: CaseService }) {}

  async attach(caseId: string, file: { filename: string; contentType: string; content: Buffer }, actor: string, scope: OfficeScope): Promise<Attachment> {
    const filename = cleanFilename(file.filename);
    const contentType = file.contentType.split(';')[0]!.trim().toLowerCase();
    const issues = [];
    if (filename.length === 0 || filename.length > 200) issues.push({ path: 'filename', message: 'must be 1 to 200 characters, without folders' });
    if (!(ATTACHMENT_TYPES as readonly string[]).includes(contentType)) issues.push({ path: 'content-type', message: `must be one of ${ATTACHMENT_TYPES.join(', ')}` });
    if (file.content.length === 0) issues.push({ path: 'body', message: 'the file is empty' });
    if (file.content.length > MAX_ATTACHMENT_BYTES) issues.push({ path: 'body', message: `must be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB` });
    if (issues.length > 0) throw validationError('The attachment is invalid', issues);
    const current = await this.deps.cases.get(caseId, scope);
    if (current.status === 'decided') throw new DomainError('conflict', `Case ${caseId} is decided; its evidence can no longer change`);
    const attachment: Attachment = {
      id: this.deps.ids.next(),
      caseId,
      filename,
      contentType,
      size: file.content.length,
      sha256: createHash('sha256').update(file.content).digest('hex'),
      uploadedBy: actor,
      uploadedAt: this.deps.clock.now().toISOString(),
    };
    await this.deps.db.transaction(async (tx) => {
      await tx.run(
        'INSERT INTO case_attachments (id, case_id, filename, content_type, size, sha256, content, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [attachment.id, caseId, filename, contentType, attachment.size, attachment.sha256, file.content.toString('base64'), actor, attachment.uploadedAt],
      );
      await this.deps.audit.record(tx, { actor, action: 'case attachment added', target: caseId, details: { attachment: { ...attachment } } });
    });
    return attachment;
  }

  async list(caseId: string, scope: OfficeScope): Promise<Attachment[]> {
    await this.deps.cases.get(caseId, scope);
    const rows = await this.deps.db.all<AttachmentRow>(
      'SELECT id, case_id, filename, content_type, size, sha256, uploaded_by, uploaded_at FROM case_attachments WHERE case_id = ? ORDER BY uploaded_at, id',
      [caseId],
    );
    return rows.map(toAttachment);
  }

  async download(caseId: string, attachmentId: string, scope: OfficeScope): Promise<{ attachment: Attachment; content: Buffer }> {
    await this.deps.cases.get(caseId, scope);
    const row = await this.deps.db.get<AttachmentRow & { content: string }>('SELECT * FROM case_attachments WHERE id = ? AND case_id = ?', [attachmentId, caseId]);
    if (!row) throw notFound('Attachment', attachmentId);
    return { attachment: toAttachment(row), content: Buffer.from(row.content, 'base64') };
  }
}
