CREATE TABLE "price_symbols" (
	"symbol" varchar(21) PRIMARY KEY NOT NULL,
	"first_day" date NOT NULL,
	"last_day" date NOT NULL,
	"rows" integer NOT NULL
);
