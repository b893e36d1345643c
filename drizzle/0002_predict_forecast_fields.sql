ALTER TABLE "predict" ADD COLUMN "symbol" varchar(21);--> statement-breakpoint
ALTER TABLE "predict" ADD COLUMN "days" integer;--> statement-breakpoint
ALTER TABLE "predict" ADD COLUMN "model_version" varchar(100);--> statement-breakpoint
ALTER TABLE "predict" ADD COLUMN "data_through" date;--> statement-breakpoint
ALTER TABLE "predict" ADD COLUMN "note" varchar(500);--> statement-breakpoint
ALTER TABLE "predict" ADD CONSTRAINT "predict_days_check" CHECK ("predict"."days" between 1 and 365);