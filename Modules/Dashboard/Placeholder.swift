// Dashboard module
