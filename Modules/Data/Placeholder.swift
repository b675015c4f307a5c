// Data module: IDX and CSV loaders, datasets, batching.
