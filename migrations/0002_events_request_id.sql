-- Nullable, so older rows need nothing; the views never read it, so no view rebuild either.
ALTER TABLE `events` ADD `request_id` text;