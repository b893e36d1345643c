CREATE TABLE "prices" (
	"symbol" varchar(21) NOT NULL,
	"day" date NOT NULL,
	"open" double precision NOT NULL,
	"high" double precision NOT NULL,
	"low" double precision NOT NULL,
	"close" double precision NOT NULL,
	"volume" double precision,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prices_symbol_day_pk" PRIMARY KEY("symbol","day"),
	CONSTRAINT "prices_symbol_check" CHECK ("prices"."symbol" ~ '^[A-Z0-9]{2,10}-[A-Z]{2,10}$'),
	CONSTRAINT "prices_positive_check" CHECK ("prices"."open" > 0 and "prices"."high" > 0 and "prices"."low" > 0 and "prices"."close" > 0),
	CONSTRAINT "prices_high_low_check" CHECK ("prices"."high" >= "prices"."low"),
	CONSTRAINT "prices_volume_check" CHECK ("prices"."volume" >= 0)
);
