"""Text segmentation: splitting extracted text into units the aligner pairs (sentences)."""
