-- AlterEnum
ALTER TYPE "SentimentHandling" ADD VALUE 'NEGATIVE';
